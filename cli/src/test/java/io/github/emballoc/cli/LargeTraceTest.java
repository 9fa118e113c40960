package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A million operations on a 1 MiB heap replay in seconds through the command's entry point. */
class LargeTraceTest {

    private static final int OPERATIONS = 1_000_000;
    private static final int HEAP = RandomTrace.HEAP;

    @TempDir
    Path dir;

    @Test
    void millionOperationsOnAMebibyteHeap() throws IOException {
        Path trace = dir.resolve("million.trace");
        long seed = 20_240_601L;
        // About 1,000 blocks live (mean 384 bytes, about 400 KiB), allocated and freed at random.
        RandomTrace.write(trace, OPERATIONS, seed);
        long start = System.nanoTime();
        Cli.Result result = Cli.run("replay", trace.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, result.status, () -> "status " + result.status + ": " + result.err);
        long operationLines = result.out.lines().filter(l -> !l.startsWith("e ")).count();
        assertEquals(OPERATIONS, operationLines);
        assertTrue(result.out.contains("\ne 0 "), "the final entries are printed");
        System.out.printf("replayed %,d operations on a %,d-byte heap (seed %d) through the entry point in %,d ms"
                + "; %d null allocations%n", OPERATIONS, HEAP, seed, millis,
                result.out.lines().filter(l -> l.endsWith(" null")).count());
        assertTrue(millis < 60_000, "took " + millis + " ms");
    }
}
