package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte compatibility with emballoc: every reference trace, replayed through the same replay code the
 * command uses, gives exactly the {@code .best} output (produced by emballoc 0.3.0) under {@link Fit#BEST}
 * and the {@code .first} output under {@link Fit#FIRST}, on little- and big-endian heaps alike.
 */
class EmballocTraceTest {

    static Stream<Arguments> cases() {
        List<Path> traces = TraceFiles.traces(TraceFiles.BUNDLED);
        assertFalse(traces.isEmpty(), "no bundled traces in " + TraceFiles.BUNDLED.toAbsolutePath());
        return traces.stream().flatMap(trace -> Stream.of(
                Arguments.of(trace.getFileName().toString(), trace, Fit.BEST, ".best", ByteOrder.LITTLE_ENDIAN),
                Arguments.of(trace.getFileName().toString(), trace, Fit.FIRST, ".first", ByteOrder.LITTLE_ENDIAN),
                Arguments.of(trace.getFileName().toString(), trace, Fit.BEST, ".best", ByteOrder.BIG_ENDIAN),
                Arguments.of(trace.getFileName().toString(), trace, Fit.FIRST, ".first", ByteOrder.BIG_ENDIAN)));
    }

    @ParameterizedTest(name = "{0} {2} {4}")
    @MethodSource("cases")
    void replayMatchesExpectedOutput(String name, Path tracePath, Fit fit, String extension, ByteOrder order)
            throws IOException {
        Trace trace = Trace.parse(tracePath);
        RawHeap heap = RawHeaps.allocate(trace.resolveHeapSize(OptionalInt.empty()), order);
        FirstFitAllocator allocator = FirstFitAllocator.builder(heap).fit(fit).criticalSection(new PlainSection())
                .build();
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        String expected = Files.readString(TraceFiles.sibling(tracePath, extension), StandardCharsets.UTF_8);
        assertEquals(expected, result.output(), name + " under " + fit + " on a " + order + " heap");
        allocator.verify();
    }

    /** The bundled copies are the binding originals, byte for byte (when the originals are present). */
    @Test
    void bundledTracesAreTheSharedOriginals() throws IOException {
        assumeTrue(Files.isDirectory(TraceFiles.SHARED), "shared/traces is not beside this checkout");
        List<Path> shared;
        try (Stream<Path> files = Files.list(TraceFiles.SHARED)) {
            shared = files.sorted().toList();
        }
        assertFalse(shared.isEmpty());
        for (Path original : shared) {
            Path copy = TraceFiles.BUNDLED.resolve(original.getFileName().toString());
            assertEquals(Files.readString(original), Files.readString(copy), "bundled copy of " + original.getFileName()
                    + " differs from shared/traces");
        }
    }
}
