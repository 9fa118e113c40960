package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Big- and little-endian heaps give the same entries for the same trace, and their images differ exactly
 * in the byte order of the header words: a big-endian device's dump is the little-endian image with every
 * visited header swapped.
 */
class ByteOrderTest {

    static java.util.List<Path> traces() {
        return TraceFiles.traces(TraceFiles.BUNDLED);
    }

    @ParameterizedTest
    @MethodSource("traces")
    void bothOrdersGiveTheSameEntriesAndSwappedHeaders(Path tracePath) throws IOException {
        Trace trace = Trace.parse(tracePath);
        int capacity = trace.resolveHeapSize(OptionalInt.empty());
        for (Fit fit : Fit.values()) {
            byte[] little = new byte[capacity];
            byte[] big = new byte[capacity];
            ReplayResult l = TraceReplayer.replay(trace, FirstFitAllocator.builder(RawHeaps.wrap(little))
                    .fit(fit).criticalSection(new PlainSection()).build());
            ReplayResult b = TraceReplayer.replay(trace, FirstFitAllocator.builder(
                    RawHeaps.wrap(big, ByteOrder.BIG_ENDIAN)).fit(fit).criticalSection(new PlainSection()).build());
            assertEquals(l.output(), b.output(), fit + " " + tracePath.getFileName());
            // swap every header word the big-endian allocator ever wrote: headers are the only bytes written
            ByteBuffer bigView = ByteBuffer.wrap(big).order(ByteOrder.BIG_ENDIAN);
            ByteBuffer littleView = ByteBuffer.wrap(little).order(ByteOrder.LITTLE_ENDIAN);
            byte[] swapped = big.clone();
            ByteBuffer swappedView = ByteBuffer.wrap(swapped).order(ByteOrder.LITTLE_ENDIAN);
            for (int offset = 0; offset < capacity; offset += 4) {
                swappedView.putInt(offset, bigView.getInt(offset));
            }
            assertArrayEquals(little, swapped, fit + " " + tracePath.getFileName());
            assertEquals(littleView.getInt(0), bigView.getInt(0));
        }
    }
}
