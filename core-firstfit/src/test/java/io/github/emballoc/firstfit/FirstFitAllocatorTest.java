package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of heap-format.md one at a time, and the handling of bad input. */
class FirstFitAllocatorTest {

    private final byte[] image = new byte[32];
    private final RawHeap heap = RawHeaps.wrap(image);

    private FirstFitAllocator allocator(Fit fit) {
        return FirstFitAllocator.builder(heap).fit(fit).criticalSection(new PlainSection()).build();
    }

    private static String entries(Allocator allocator) {
        return WalkRecorder.describe(WalkRecorder.walk(allocator));
    }

    /** The worked example of heap-format.md, step by step, entries included. */
    @Test
    void emballocsDocumentedWalkthrough() {
        FirstFitAllocator a = allocator(Fit.BEST);
        assertEquals("[0 free 28]", entries(a));
        assertEquals(4, a.allocate(8));
        assertEquals("[0 used 8, 12 free 16]", entries(a));
        assertEquals(16, a.allocate(4));
        assertEquals("[0 used 8, 12 used 4, 20 free 8]", entries(a));
        assertEquals(Allocator.NULL, a.allocate(16));
        assertEquals("[0 used 8, 12 used 4, 20 free 8]", entries(a));
        assertEquals(24, a.allocate(5));
        assertEquals("[0 used 8, 12 used 4, 20 used 8]", entries(a));
        a.free(24);
        assertEquals("[0 used 8, 12 used 4, 20 free 8]", entries(a));
        a.free(4);
        assertEquals("[0 free 8, 12 used 4, 20 free 8]", entries(a));
        assertEquals(4, a.allocate(8));
        assertEquals("[0 used 8, 12 used 4, 20 free 8]", entries(a));
        a.free(16);
        assertEquals("[0 used 8, 12 free 16]", entries(a));
    }

    @Test
    void buildingInitialisesAZeroedHeapWithOneFreeEntry() {
        allocator(Fit.FIRST);
        assertEquals(28 << 1, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void bestFitTakesTheSmallestFittingEntryAndFirstFitTheFirst() {
        for (Fit fit : Fit.values()) {
            java.util.Arrays.fill(image, (byte) 0);
            FirstFitAllocator a = allocator(fit);
            int big = a.allocate(8);     // 0 used 8
            a.allocate(4);               // 12 used 4
            int small = a.allocate(4);   // 20 used 4
            a.allocate(0);               // 28: 4 bytes left, none (only 4 remain: 28 hdr + 0)
            a.free(big);
            a.free(small);
            int got = a.allocate(4);
            assertEquals(fit == Fit.BEST ? small : big, got, fit.toString());
        }
    }

    @Test
    void anExactFourByteRemainderBecomesAZeroSizeFreeEntry() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        a.allocate(8);      // 0 used 8, 12 free 16
        a.allocate(12);     // 12 used 12, 28: 4 bytes left -> a zero-size entry at capacity - 4, never visited
        assertEquals("[0 used 8, 12 used 12]", entries(a));
        assertEquals(0, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(28));
        HeapStats stats = a.stats();
        assertEquals(4, stats.unusableBytes());
    }

    @Test
    void aZeroSizeRequestIsServedAsFourBytesAndCanBeFreed() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        int handle = a.allocate(0);
        assertEquals("[0 used 4, 8 free 20]", entries(a));
        a.free(handle);
        assertEquals("[0 free 28]", entries(a), "freed, and merged with the free entry after it");
    }

    @Test
    void alignmentOverAllocatesAndRoundsTheHandleUp() {
        RawHeap big = RawHeaps.allocate(256);
        FirstFitAllocator a = FirstFitAllocator.builder(big).criticalSection(new PlainSection()).build();
        a.allocate(4);                      // 0 used 4, payload 4..8
        int handle = a.allocate(10, 64);    // request 74 -> 76 bytes, entry at 8, payload 12 -> aligned 64
        assertEquals(64, handle);
        assertEquals("[0 used 4, 8 used 76, 88 free 164]", entries(a));
        a.free(handle + 9);                 // any offset inside the block frees it
        assertEquals("[0 used 4, 8 free 244]", entries(a));
    }

    @Test
    void freeMergesOnlyTheFollowingEntry() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        int x = a.allocate(4);
        int y = a.allocate(4);
        a.free(x);
        a.free(y);
        // x stays separate from y's merged entry: emballoc's documented behaviour
        assertEquals("[0 free 4, 8 free 20]", entries(a));
        a.verify();
    }

    @Test
    void doubleFreeIsReportedAndChangesNothing() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        int x = a.allocate(8);
        a.allocate(4);
        a.free(x);
        byte[] before = image.clone();
        DoubleFreeException e = assertThrows(DoubleFreeException.class, () -> a.free(x + 3));
        assertEquals(x + 3, e.handle());
        assertEquals(0, e.entryOffset());
        assertTrue(e.getMessage().contains("offset 7"), e.getMessage());
        assertArrayEquals(before, image);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -2, 0, 3, 12, 32, 33, Integer.MAX_VALUE})
    void freeingAnOffsetNoBlockHoldsIsReportedAndChangesNothing(int offset) {
        FirstFitAllocator a = allocator(Fit.FIRST);
        a.allocate(8);   // payload 4..12, next header at 12
        a.allocate(4);
        byte[] before = image.clone();
        InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> a.free(offset));
        assertEquals(offset, e.handle());
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
        assertArrayEquals(before, image);
    }

    @Test
    void freeOfNullDoesNothing() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        a.allocate(8);
        byte[] before = image.clone();
        a.free(Allocator.NULL);
        assertArrayEquals(before, image);
        assertEquals(0, a.counts().frees(), "free(NULL) is not counted as a free");
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        byte[] before = image.clone();
        assertEquals("size -1 is negative", assertThrows(IllegalArgumentException.class, () -> a.allocate(-1)).getMessage());
        assertEquals("alignment 3 is not a power of two",
                assertThrows(IllegalArgumentException.class, () -> a.allocate(4, 3)).getMessage());
        assertEquals("alignment 0 is not a power of two",
                assertThrows(IllegalArgumentException.class, () -> a.allocate(4, 0)).getMessage());
        assertEquals("alignment -8 is not a power of two",
                assertThrows(IllegalArgumentException.class, () -> a.allocateOrThrow(4, -8)).getMessage());
        assertArrayEquals(before, image);
    }

    @Test
    void requestsThatOverflowOncePaddedReturnNull() {
        RawHeap large = RawHeaps.allocate(1 << 16);
        FirstFitAllocator a = FirstFitAllocator.builder(large).criticalSection(new PlainSection()).build();
        assertEquals(Allocator.NULL, a.allocate(Integer.MAX_VALUE, 64));
        assertEquals(Allocator.NULL, a.allocate(Integer.MAX_VALUE));
        assertEquals(Allocator.NULL, a.allocate(Integer.MAX_VALUE - 2));
        assertEquals(Allocator.NULL, a.allocate(1, 1 << 30));
        assertEquals(Allocator.NULL, a.allocate((1 << 16) - 3));
        assertEquals("[0 free 65532]", entries(a));
        assertEquals(4, a.allocate((1 << 16) - 4));
    }

    @Test
    void allocateOrThrowNamesTheRequestTheLargestFreeEntryAndTheFreeBytes() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        int x = a.allocate(4);
        a.allocate(4);
        a.free(x);  // free: 4 at 0, 12 at 16
        HeapExhaustedException e = assertThrows(HeapExhaustedException.class, () -> a.allocateOrThrow(13, 8));
        assertEquals(13, e.size());
        assertEquals(8, e.alignment());
        assertEquals(12, e.largestFree());
        assertEquals(16, e.freeBytes());
        assertTrue(e.getMessage().contains("13 bytes aligned to 8") && e.getMessage().contains("12 bytes")
                && e.getMessage().contains("16 bytes are free"), e.getMessage());
        assertThrows(HeapExhaustedException.class, () -> a.allocateOrThrow(Integer.MAX_VALUE));
        assertEquals(20, a.allocateOrThrow(12), "the 12-byte free entry at 16 fits exactly");
    }

    @ParameterizedTest
    @ValueSource(ints = {-4, 0, 4, 6, 10, 2_147_483_647})
    void capacitiesTheFormatCannotHoldAreRefused(int capacity) {
        RawHeap odd = new ResizedView(capacity);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirstFitAllocator.builder(odd).criticalSection(new PlainSection()).build());
        assertEquals("heap capacity " + capacity + " is not a multiple of 4 from 8 to 2147483644", e.getMessage());
    }

    @Test
    void statsDescribeTheHeap() {
        FirstFitAllocator a = allocator(Fit.FIRST);
        int x = a.allocate(4);
        a.allocate(8);
        a.free(x);
        HeapStats stats = a.stats();
        assertEquals(new HeapStats(32, 1, 2, 8, 4 + 8, 8), stats);
        assertEquals(12, stats.headerBytes());
        assertEquals(1.0 - 8.0 / 12.0, stats.fragmentation(), 1e-12);
    }

    @Test
    void builderRejectsNulls() {
        assertThrows(NullPointerException.class, () -> FirstFitAllocator.builder(null));
        assertThrows(NullPointerException.class, () -> FirstFitAllocator.builder(heap).fit(null));
        assertThrows(NullPointerException.class, () -> FirstFitAllocator.builder(heap).criticalSection(null));
        assertThrows(NullPointerException.class, () -> allocator(Fit.FIRST).walk(null));
    }

    /** A heap that claims any capacity (only the capacity is read before the check fails). */
    private static final class ResizedView implements RawHeap {
        private final int capacity;

        ResizedView(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public ByteOrder order() {
            return ByteOrder.LITTLE_ENDIAN;
        }

        @Override
        public byte getByte(int offset) {
            throw new AssertionError("read before the capacity check");
        }

        @Override
        public void putByte(int offset, byte value) {
            throw new AssertionError("write before the capacity check");
        }

        @Override
        public int getInt(int offset) {
            throw new AssertionError("read before the capacity check");
        }

        @Override
        public void putInt(int offset, int value) {
            throw new AssertionError("write before the capacity check");
        }

        @Override
        public long getLong(int offset) {
            throw new AssertionError("read before the capacity check");
        }

        @Override
        public void putLong(int offset, long value) {
            throw new AssertionError("write before the capacity check");
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            throw new AssertionError("read before the capacity check");
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            throw new AssertionError("write before the capacity check");
        }

        @Override
        public void fill(int offset, int length, byte value) {
            throw new AssertionError("write before the capacity check");
        }
    }
}
