package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapException;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.nio.ByteOrder;

/**
 * Coverage-guided fuzzing of {@link IndexedAllocator} against {@link FirstFitAllocator}.
 *
 * <ul>
 *   <li>{@link #attachArbitraryImages}: arbitrary bytes as an image. Both strategies accept it or refuse it
 *       alike (the same {@link HeapCorruptedException} offset and message, the bytes unchanged); when accepted,
 *       the index agrees with the image, and operations chosen by the input give the same results and bytes in
 *       both. Then the input may write into the heap behind the allocators' backs: from there only the documented
 *       exceptions may escape ({@link HeapException}s, {@link IllegalArgumentException}), nothing may hang, and
 *       no write may leave the heap.</li>
 *   <li>{@link #operationSequencesMatchTheLinearWalk}: a fresh heap of the input's size, fit, coalescing and
 *       byte order, and operations chosen by the input (allocations of any size and alignment, frees of handles
 *       and of any offset, reallocations, usable sizes, coalescing): the same outcome and the same bytes after
 *       every operation.</li>
 * </ul>
 *
 * <p>In {@code mvn verify} these run in regression mode over the inputs in
 * {@code src/test/resources/io/github/emballoc/indexed/IndexedFuzzTestInputs}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl core-indexed -am test -Dtest=IndexedFuzzTest} (findings are stored beside the
 * inputs; keep the interesting ones as regression inputs).
 */
class IndexedFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void attachArbitraryImages(FuzzedDataProvider data) {
        ByteOrder order = data.consumeBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Fit fit = data.consumeBoolean() ? Fit.BEST : Fit.FIRST;
        Coalescing coalescing = data.consumeBoolean() ? Coalescing.BOTH : Coalescing.FORWARD;
        int capacity = 8 + 4 * data.consumeInt(0, 512);
        byte[] image = new byte[capacity];
        byte[] content = data.consumeBytes(capacity);
        System.arraycopy(content, 0, image, 0, content.length);
        byte[] reference = image.clone();
        byte[] before = image.clone();
        RawHeap heap = RawHeaps.wrap(image, order);
        RawHeap referenceHeap = RawHeaps.wrap(reference, order);
        HeapCorruptedException expected = null;
        FirstFitAllocator linear = null;
        try {
            linear = FirstFitAllocator.builder(referenceHeap).fit(fit).coalescing(coalescing)
                    .criticalSection(new PlainSection()).build();
        } catch (HeapCorruptedException e) {
            expected = e;
        }
        IndexedAllocator indexed;
        try {
            indexed = IndexedAllocator.builder(heap).fit(fit).coalescing(coalescing).criticalSection(new PlainSection())
                    .build();
        } catch (HeapCorruptedException e) {
            if (expected == null) {
                throw new AssertionError("refused an image the linear walk accepts: " + e.getMessage(), e);
            }
            assertEquals(expected.offset(), e.offset());
            assertEquals(expected.getMessage(), e.getMessage());
            assertArrayEquals(before, image, "a refused image must be left as it was");
            return;
        }
        if (expected != null) {
            fail("accepted an image the linear walk refuses: " + expected.getMessage());
        }
        indexed.verify();
        assertNull(indexed.checkInvariants());
        int operations = data.consumeInt(0, 48);
        for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
            Step step = Step.draw(data, capacity);
            assertEquals(step.apply(linear), step.apply(indexed), step.toString());
            assertArrayEquals(reference, image, "bytes after " + step);
        }
        indexed.verify();
        assertNull(indexed.checkInvariants());
        // writes behind the allocator's back: only the documented exceptions from here on
        for (int writes = data.consumeInt(0, 4); writes > 0 && data.remainingBytes() > 0; writes--) {
            int at = 4 * data.consumeInt(0, capacity / 4 - 1);
            heap.putInt(at, data.consumeInt());
        }
        while (data.remainingBytes() > 0) {
            Step.draw(data, capacity).apply(indexed); // throws only what apply() turns into outcomes
        }
        try {
            indexed.verify();
        } catch (HeapCorruptedException documented) {
            // the image was changed: verify names where
        }
    }

    @FuzzTest(maxDuration = "60s")
    void operationSequencesMatchTheLinearWalk(FuzzedDataProvider data) {
        ByteOrder order = data.consumeBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Fit fit = data.consumeBoolean() ? Fit.BEST : Fit.FIRST;
        Coalescing coalescing = data.consumeBoolean() ? Coalescing.BOTH : Coalescing.FORWARD;
        int capacity = 8 + 4 * data.consumeInt(0, data.consumeBoolean() ? 64 : 4096);
        byte[] image = new byte[capacity];
        byte[] reference = new byte[capacity];
        FirstFitAllocator linear = FirstFitAllocator.builder(RawHeaps.wrap(reference, order)).fit(fit)
                .coalescing(coalescing).criticalSection(new PlainSection()).build();
        IndexedAllocator indexed = IndexedAllocator.builder(RawHeaps.wrap(image, order)).fit(fit)
                .coalescing(coalescing).criticalSection(new PlainSection()).build();
        while (data.remainingBytes() > 0) {
            Step step = Step.draw(data, capacity);
            assertEquals(step.apply(linear), step.apply(indexed), step.toString());
            assertArrayEquals(reference, image, "bytes after " + step);
        }
        assertEquals(linear.stats(), indexed.stats());
        indexed.verify();
        assertNull(indexed.checkInvariants());
    }

    /** One operation drawn from the input, applied alike to either allocator; its outcome as text. */
    private record Step(int kind, int offset, int size, int alignment) {

        static Step draw(FuzzedDataProvider data, int capacity) {
            int kind = data.consumeInt(0, 6);
            int offset = data.consumeInt(-8, capacity + 8);
            int size = data.consumeBoolean() ? data.consumeInt(0, 64) : data.consumeInt(0, capacity + 16);
            int alignment = 1 << data.consumeInt(0, data.consumeBoolean() ? 3 : 12);
            return new Step(kind, offset, size, alignment);
        }

        String apply(Allocator allocator) {
            try {
                switch (kind) {
                    case 0, 1:
                        return "allocate " + allocator.allocate(size, alignment);
                    case 2:
                        allocator.free(offset);
                        return "freed";
                    case 3:
                        return "reallocate " + allocator.reallocate(offset, size, alignment);
                    case 4:
                        return "usable " + allocator.usableSize(offset);
                    case 5:
                        return "coalesced " + allocator.coalesce();
                    default:
                        return allocator.stats().toString();
                }
            } catch (DoubleFreeException e) {
                return "double free " + e.handle() + " " + e.entryOffset();
            } catch (InvalidFreeException e) {
                return "not found " + e.handle();
            } catch (HeapCorruptedException e) {
                return "corrupt " + e.offset();
            } catch (HeapException | IllegalArgumentException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
    }
}
