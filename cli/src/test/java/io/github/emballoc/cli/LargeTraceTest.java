package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A million operations on a 1 MiB heap replay in seconds through the command's entry point. */
class LargeTraceTest {

    private static final int OPERATIONS = 1_000_000;
    private static final int HEAP = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void millionOperationsOnAMebibyteHeap() throws IOException {
        Path trace = dir.resolve("million.trace");
        long seed = 20_240_601L;
        SplittableRandom random = new SplittableRandom(seed);
        // About 1,000 blocks live (mean 384 bytes, about 400 KiB), allocated and freed at random.
        int[] live = new int[OPERATIONS];
        int liveCount = 0;
        int nextId = 0;
        int[] alignments = {1, 4, 8, 16};
        try (BufferedWriter out = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            out.write("# seed " + seed + "\nheap " + HEAP + "\n");
            for (int i = 0; i < OPERATIONS; i++) {
                boolean allocate = liveCount == 0 || (liveCount < 2000 && random.nextInt(liveCount < 1000 ? 3 : 2) != 0);
                if (allocate) {
                    int id = nextId++;
                    live[liveCount++] = id;
                    out.write("a b" + id + " " + (1 + random.nextInt(767)) + " " + alignments[random.nextInt(4)] + "\n");
                } else {
                    int pick = random.nextInt(liveCount);
                    out.write("f b" + live[pick] + "\n");
                    live[pick] = live[--liveCount];
                }
            }
        }
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
