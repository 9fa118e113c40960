package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default methods of {@link Allocator}, over a small fake that records its calls. */
class AllocatorDefaultsTest {

    /** Answers every allocation with {@link #next}, and {@link #stats()} with {@link #stats}. */
    private static final class FakeAllocator implements Allocator {
        final RawHeap heap = RawHeaps.allocate(64);
        final List<String> calls = new ArrayList<>();
        int next;
        HeapStats stats = new HeapStats(64, 0, 1, 0, 60, 60);

        @Override
        public RawHeap heap() {
            return heap;
        }

        @Override
        public int allocate(int size, int alignment) {
            calls.add("allocate(" + size + ", " + alignment + ")");
            if (size < 0) {
                throw new IllegalArgumentException("size " + size + " is negative");
            }
            return next;
        }

        @Override
        public void free(int handle) {
            calls.add("free(" + handle + ")");
        }

        @Override
        public HeapStats stats() {
            calls.add("stats()");
            return stats;
        }

        @Override
        public void walk(EntryVisitor visitor) {
            calls.add("walk");
        }

        @Override
        public void verify() {
            calls.add("verify");
        }

        int usable = 16;

        @Override
        public int usableSize(int handle) {
            calls.add("usableSize(" + handle + ")");
            return usable;
        }

        @Override
        public int reallocate(int handle, int newSize, int alignment) {
            calls.add("reallocate(" + handle + ", " + newSize + ", " + alignment + ")");
            return next;
        }

        @Override
        public int coalesce() {
            calls.add("coalesce");
            return 0;
        }
    }

    @Test
    void reallocateOfASizeAsksForAlignmentOne() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.next = 20;
        assertEquals(20, allocator.reallocate(8, 30));
        assertEquals(List.of("reallocate(8, 30, 1)"), allocator.calls);
    }

    @Test
    void viewCoversTheUsableSizeFromTheHandleAndSharesTheHeap() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.usable = 12;
        ByteBuffer view = allocator.view(20);
        assertEquals(0, view.position());
        assertEquals(12, view.limit());
        assertEquals(12, view.capacity());
        assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
        view.putInt(8, 0x01020304);
        assertEquals(0x01020304, allocator.heap.getInt(28), "the view writes the heap's bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> view.putInt(9, 1), "no write past the block's end");
        assertEquals(0, allocator.heap.getInt(32), "the byte after the block is untouched");
        assertEquals(List.of("usableSize(20)"), allocator.calls);
    }

    @Test
    void viewOfALengthIsExactlyThatLongAndRefusesMoreThanTheBlockHolds() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.usable = 12;
        assertEquals(5, allocator.view(20, 5).capacity());
        assertEquals(12, allocator.view(20, 12).capacity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.view(20, 13));
        assertEquals("view of 13 bytes at 20 does not fit the block, which holds 12 bytes from there", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> allocator.view(20, -1));
    }

    @Test
    void countsAreRefusedByAnAllocatorThatKeepsNone() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new FakeAllocator().counts());
        assertEquals(FakeAllocator.class.getName() + " keeps no operation counts", e.getMessage());
    }

    @Test
    void allocateOfASizeAsksForAlignmentOne() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.next = 12;
        assertEquals(12, allocator.allocate(8));
        allocator.next = Allocator.NULL;
        assertEquals(Allocator.NULL, allocator.allocate(1000));
        assertEquals(List.of("allocate(8, 1)", "allocate(1000, 1)"), allocator.calls);
    }

    @Test
    void allocateOrThrowReturnsTheHandleWithoutTakingStats() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.next = 0;
        assertEquals(0, allocator.allocateOrThrow(4), "handle 0 is a block, not a failure");
        allocator.next = 32;
        assertEquals(32, allocator.allocateOrThrow(16, 16));
        assertEquals(List.of("allocate(4, 1)", "allocate(16, 16)"), allocator.calls);
    }

    @Test
    void allocateOrThrowNamesTheRequestTheLargestFreeEntryAndTheFreeBytes() {
        FakeAllocator allocator = new FakeAllocator();
        allocator.next = Allocator.NULL;
        allocator.stats = new HeapStats(64, 3, 2, 20, 24, 20);

        HeapExhaustedException e = assertThrows(HeapExhaustedException.class, () -> allocator.allocateOrThrow(24, 8));
        assertEquals("heap exhausted: no free entry fits 24 bytes aligned to 8; the largest free entry holds 20 bytes,"
                + " 24 bytes are free in all", e.getMessage());
        assertEquals(24, e.size());
        assertEquals(8, e.alignment());
        assertEquals(20, e.largestFree());
        assertEquals(24, e.freeBytes());

        HeapExhaustedException plain = assertThrows(HeapExhaustedException.class, () -> allocator.allocateOrThrow(40));
        assertEquals(40, plain.size());
        assertEquals(1, plain.alignment());
        assertEquals(List.of("allocate(24, 8)", "stats()", "allocate(40, 1)", "stats()"), allocator.calls);
    }

    @Test
    void allocateOrThrowLetsIllegalArgumentsThrough() {
        FakeAllocator allocator = new FakeAllocator();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.allocateOrThrow(-3));
        assertEquals("size -3 is negative", e.getMessage());
        assertEquals(List.of("allocate(-3, 1)"), allocator.calls, "no stats are taken for a bad argument");
    }

    @Test
    void forceDoesNothingOnAHeapInMemory() {
        RawHeap heap = RawHeaps.allocate(8);
        heap.putLong(0, 42L);
        heap.force();
        assertEquals(42L, heap.getLong(0));
    }
}
