package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte compatibility with emballoc through the index: every trace bundled in the test kit, and every trace in
 * {@code shared/traces} when that folder is beside the checkout, replayed through the replayer the command uses,
 * gives exactly the {@code .best} output (emballoc 0.3.0's own) under {@link Fit#BEST} and the {@code .first}
 * output under {@link Fit#FIRST}, on little- and big-endian heaps; and under {@link Coalescing#BOTH}, exactly
 * what {@link FirstFitAllocator} built the same way gives.
 */
class TraceReplayTest {

    static final Path BUNDLED = Path.of("../testkit/src/main/resources/io/github/emballoc/testkit/traces");
    /** shared/traces: beside the repository in the main checkout, two folders up from a worktree's module. */
    static final List<Path> SHARED = List.of(Path.of("../../shared/traces"), Path.of("../../../shared/traces"));

    static Stream<Arguments> forward() {
        return traces().stream().flatMap(trace -> Stream.of(Fit.BEST, Fit.FIRST).flatMap(fit -> Stream.of(
                ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN).map(order -> Arguments.of(
                        label(trace), trace, fit, order))));
    }

    static Stream<Arguments> both() {
        return traces().stream().flatMap(trace -> Stream.of(Fit.BEST, Fit.FIRST).map(fit -> Arguments.of(
                label(trace), trace, fit)));
    }

    private static String label(Path trace) {
        return (trace.startsWith(BUNDLED) ? "bundled " : "shared ") + trace.getFileName();
    }

    /** The bundled traces, and the shared ones when present (whose names may repeat the bundled copies). */
    static List<Path> traces() {
        List<Path> all = new ArrayList<>(list(BUNDLED));
        assertFalse(all.isEmpty(), "no bundled traces in " + BUNDLED.toAbsolutePath());
        for (Path shared : SHARED) {
            if (Files.isDirectory(shared)) {
                all.addAll(list(shared));
                break;
            }
        }
        return all;
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path sibling(Path trace, String extension) {
        String name = trace.getFileName().toString();
        return trace.resolveSibling(name.substring(0, name.length() - ".trace".length()) + extension);
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("forward")
    void replayGivesTheExpectedOutput(String name, Path tracePath, Fit fit, ByteOrder order) throws IOException {
        Trace trace = Trace.parse(tracePath);
        RawHeap heap = RawHeaps.allocate(trace.resolveHeapSize(OptionalInt.empty()), order);
        IndexedAllocator allocator = IndexedAllocator.builder(heap).fit(fit).criticalSection(new PlainSection())
                .build();
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        String expected = Files.readString(sibling(tracePath, fit == Fit.BEST ? ".best" : ".first"),
                StandardCharsets.UTF_8);
        assertEquals(expected, result.output(), name + " under " + fit + " on a " + order + " heap");
        allocator.verify();
    }

    @ParameterizedTest(name = "{0} {2} BOTH")
    @MethodSource("both")
    void replayWithBothCoalescingMatchesTheLinearWalk(String name, Path tracePath, Fit fit) throws IOException {
        Trace trace = Trace.parse(tracePath);
        int capacity = trace.resolveHeapSize(OptionalInt.empty());
        RawHeap indexedHeap = RawHeaps.allocate(capacity);
        RawHeap linearHeap = RawHeaps.allocate(capacity);
        ReplayResult indexed = TraceReplayer.replay(trace, IndexedAllocator.builder(indexedHeap).fit(fit)
                .coalescing(Coalescing.BOTH).criticalSection(new PlainSection()).build());
        ReplayResult linear = TraceReplayer.replay(trace, FirstFitAllocator.builder(linearHeap).fit(fit)
                .coalescing(Coalescing.BOTH).criticalSection(new PlainSection()).build());
        assertEquals(linear.output(), indexed.output(), name + " under " + fit + " with BOTH");
        byte[] a = new byte[capacity];
        byte[] b = new byte[capacity];
        indexedHeap.getBytes(0, a, 0, capacity);
        linearHeap.getBytes(0, b, 0, capacity);
        assertEquals(-1, java.util.Arrays.mismatch(a, b), "the heaps' bytes differ");
    }
}
