package io.github.emballoc.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.lock.cas.CasSpinLock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SegmentHeap} adds to the contracts: accesses after the arena is closed and from a thread that
 * does not own a confined arena are refused with clear exceptions (never a crash) and change nothing; the
 * {@link MemorySegment} views of blocks are bounded; a mapped file segment keeps what the allocator wrote.
 */
class SegmentHeapTest {

    @TempDir
    Path dir;

    @Test
    void everyAccessAfterTheArenaIsClosedThrowsIllegalStateNamingTheHeap() {
        Arena arena = Arena.ofShared();
        SegmentHeap heap = SegmentHeaps.allocate(arena, 64);
        Allocator allocator = FirstFitAllocator.create(heap);
        int block = allocator.allocate(16);
        ByteBuffer buffer = heap.asByteBuffer(0, 8);
        MemorySegment slice = SegmentHeaps.view(allocator, block);
        arena.close();
        List<Consumer<SegmentHeap>> accesses = List.of(h -> h.getByte(0), h -> h.putByte(0, (byte) 1),
                h -> h.getInt(0), h -> h.putInt(0, 1), h -> h.getLong(0), h -> h.putLong(0, 1L),
                h -> h.getBytes(0, new byte[4], 0, 4), h -> h.putBytes(0, new byte[4], 0, 4),
                h -> h.fill(0, 4, (byte) 1), h -> h.copy(0, 8, 8), h -> h.asByteBuffer(0, 8),
                h -> h.asSegment(0, 8));
        for (Consumer<SegmentHeap> access : accesses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> access.accept(heap));
            assertEquals("heap closed: native segment heap of 64 bytes, LITTLE_ENDIAN (its arena was closed)",
                    e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> allocator.allocate(8));
        assertThrows(IllegalStateException.class, () -> allocator.free(block));
        assertThrows(IllegalStateException.class, () -> FirstFitAllocator.create(heap));
        assertThrows(IllegalStateException.class, () -> buffer.getLong(0), "a buffer view dies with the arena");
        assertThrows(IllegalStateException.class, () -> slice.get(ValueLayout.JAVA_BYTE, 0),
                "a segment view dies with the arena");
        assertEquals(64, heap.capacity(), "the capacity still answers");
    }

    @Test
    void aConfinedArenasHeapRefusesOtherThreadsAndTheirOperationsChangeNothing() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeap heap = SegmentHeaps.allocate(arena, 256);
            // a lock that admits every thread: the arena, not the section, refuses the second thread
            Allocator allocator = FirstFitAllocator.builder(heap).criticalSection(new CasSpinLock()).build();
            int block = allocator.allocate(32);
            heap.putLong(block, 7L);
            byte[] before = snapshot(heap);
            String thread = "other-thread";
            for (Consumer<Allocator> operation : List.<Consumer<Allocator>>of(a -> a.allocate(8), a -> a.free(block),
                    a -> a.reallocate(block, 100), Allocator::coalesce, Allocator::verify)) {
                Throwable failure = onThread(thread, () -> operation.accept(allocator));
                assertTrue(failure instanceof WrongThreadException, String.valueOf(failure));
                assertEquals("native segment heap of 256 bytes, LITTLE_ENDIAN belongs to a confined arena and was"
                        + " used from thread other-thread, which is not the arena's owner: a confined arena's heap"
                        + " serves its owner thread only (use Arena.ofShared() for an allocator shared between"
                        + " threads)", failure.getMessage());
            }
            assertArrayEquals(before, snapshot(heap), "the refused operations changed nothing");
            allocator.free(block);
            assertEquals(0, allocator.stats().usedEntries(), "the owner thread carries on");
        }
    }

    private static Throwable onThread(String name, Runnable action) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name);
        thread.start();
        thread.join();
        return failure[0];
    }

    private static byte[] snapshot(RawHeap heap) {
        byte[] bytes = new byte[heap.capacity()];
        heap.getBytes(0, bytes, 0, bytes.length);
        return bytes;
    }

    @Test
    void aSharedArenasHeapServesEveryThread() throws ExecutionException, InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            Allocator allocator = FirstFitAllocator.builder(SegmentHeaps.allocate(arena, 256))
                    .criticalSection(new CasSpinLock()).build();
            int block = CompletableFuture.supplyAsync(() -> allocator.allocate(40)).get();
            assertEquals(40, allocator.usableSize(block));
        }
    }

    @Test
    void segmentViewsOfBlocksAreBoundedSlicesOfTheHeap() {
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeap heap = SegmentHeaps.allocate(arena, 256, ByteOrder.BIG_ENDIAN);
            Allocator allocator = FirstFitAllocator.builder(heap).criticalSection(new CasSpinLock()).build();
            int block = allocator.allocate(10, 8);
            int usable = allocator.usableSize(block);
            MemorySegment whole = SegmentHeaps.view(allocator, block);
            MemorySegment asked = SegmentHeaps.view(allocator, block, 10);
            assertEquals(usable, whole.byteSize());
            assertEquals(10, asked.byteSize());
            asked.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(heap.order()), 2, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, heap.getLong(block + 2), "the view shares the heap's bytes");
            heap.putByte(block + 9, (byte) 99);
            assertEquals(99, asked.get(ValueLayout.JAVA_BYTE, 9));
            byte[] before = snapshot(heap);
            assertThrows(IndexOutOfBoundsException.class, () -> asked.set(ValueLayout.JAVA_BYTE, 10, (byte) 1));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> whole.set(ValueLayout.JAVA_INT_UNALIGNED, usable - 2, 1), "an int across the block's end");
            assertArrayEquals(before, snapshot(heap), "no write past a view reached the heap");
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> SegmentHeaps.view(allocator, block, usable + 1));
            assertEquals("view of " + (usable + 1) + " bytes at " + block + " does not fit the block, which holds "
                    + usable + " bytes from there", tooLong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SegmentHeaps.view(allocator, block, -1));
            allocator.free(block);
            assertThrows(DoubleFreeException.class, () -> SegmentHeaps.view(allocator, block));
        }
    }

    @Test
    void segmentViewsWorkOverTheStandardHeapsToo() {
        RawHeap heap = RawHeaps.allocateDirect(128);
        Allocator allocator = FirstFitAllocator.builder(heap).criticalSection(new CasSpinLock()).build();
        int block = allocator.allocate(12);
        MemorySegment view = SegmentHeaps.view(allocator, block, 12);
        assertEquals(12, view.byteSize());
        view.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8, 0x0A0B0C0D);
        assertEquals(0x0A0B0C0D, heap.getInt(block + 8));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(ValueLayout.JAVA_BYTE, 12));
        assertEquals(allocator.usableSize(block), SegmentHeaps.view(allocator, block).byteSize());
    }

    @Test
    void aReadOnlySegmentGivesAReadOnlyHeapThatNoAllocatorBuildsOn() {
        byte[] image = new byte[64];
        FirstFitAllocator.create(SegmentHeaps.wrap(MemorySegment.ofArray(image))).allocate(8);
        SegmentHeap heap = SegmentHeaps.wrap(MemorySegment.ofArray(image).asReadOnly());
        assertTrue(heap.isReadOnly());
        ReadOnlyBufferException write = assertThrows(ReadOnlyBufferException.class, () -> heap.putInt(4, 1));
        assertEquals("array segment heap of 64 bytes, LITTLE_ENDIAN is read-only: a write of 4 byte(s) at offset 4"
                + " was refused", write.getMessage());
        IllegalArgumentException build = assertThrows(IllegalArgumentException.class,
                () -> FirstFitAllocator.create(heap));
        assertEquals("array segment heap of 64 bytes, LITTLE_ENDIAN is read-only: an allocator writes headers, so it"
                + " needs a writable heap (a read-only heap can be checked and walked with HeapImage)",
                build.getMessage());
        assertTrue(heap.asSegment(0, 8).isReadOnly());
        assertTrue(heap.asByteBuffer(0, 8).isReadOnly());
    }

    @Test
    void aMappedFileSegmentKeepsWhatTheAllocatorWrote() throws IOException {
        Path file = dir.resolve("segment.heap");
        int block;
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SegmentHeap heap = SegmentHeaps.wrap(channel.map(FileChannel.MapMode.READ_WRITE, 0, 1024, arena));
            Allocator allocator = FirstFitAllocator.create(heap);
            block = allocator.allocate(24);
            heap.putLong(block, -5L);
            heap.force();
        }
        RawHeap copy = RawHeaps.wrap(Files.readAllBytes(file));
        assertEquals(1, FirstFitAllocator.create(copy).stats().usedEntries());
        assertEquals(-5L, copy.getLong(block));
    }

    @Test
    void theHeapTakesTheOrderAskedForAndLittleEndianByDefault() {
        byte[] bytes = {1, 2, 3, 4};
        assertEquals(0x04030201, SegmentHeaps.wrap(MemorySegment.ofArray(bytes)).getInt(0));
        assertEquals(0x01020304, SegmentHeaps.wrap(MemorySegment.ofArray(bytes), ByteOrder.BIG_ENDIAN).getInt(0));
        assertSame(ByteOrder.LITTLE_ENDIAN, SegmentHeaps.allocate(Arena.ofAuto(), 8).order());
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> SegmentHeaps.allocate(Arena.ofAuto(), -4));
        assertEquals("capacity -4 is negative", negative.getMessage());
        // 3 GiB of address space with no memory behind it: wrap must refuse it without touching it
        MemorySegment huge = MemorySegment.NULL.reinterpret(3L << 30);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class, () -> SegmentHeaps.wrap(huge));
        assertEquals("a segment of 3221225472 bytes is larger than a heap can be (2147483647 bytes); wrap a slice of"
                + " it (MemorySegment.asSlice)", tooLarge.getMessage());
        assertThrows(NullPointerException.class, () -> SegmentHeaps.wrap(null));
        assertThrows(NullPointerException.class, () -> SegmentHeaps.wrap(MemorySegment.ofArray(new byte[4]), null));
        assertThrows(NullPointerException.class, () -> SegmentHeaps.allocate(null, 8));
        Arena closed = Arena.ofConfined();
        closed.close();
        assertThrows(IllegalStateException.class, () -> SegmentHeaps.allocate(closed, 8));
    }
}
