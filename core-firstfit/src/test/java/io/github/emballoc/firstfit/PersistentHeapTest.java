package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DurableAllocator;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.MappedHeap;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeapImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FirstFitAllocator} over the heaps that outlive or refuse it: a mapped file reattached after close, a
 * closed mapped heap (every operation throws {@link IllegalStateException}), and read-only heaps (a read-only
 * {@link ByteBuffer} and {@link RawHeaps#mapReadOnly(Path)}), on which building fails with a message that
 * says why, leaving the bytes as they were, while {@link HeapImage} still reads them.
 */
class PersistentHeapTest {

    @TempDir
    Path dir;

    /** The example of README.md's "Persistent heaps", as written there but for the file's directory. */
    @Test
    void theReadmePersistentHeapExampleWorks() throws IOException {
        Path file = dir.resolve("cache.heap");
        int kept;
        // --- README "Persistent heaps" begins
        try (MappedHeap heap = RawHeaps.map(file, 1 << 20)) {                 // created if missing, else reopened
            Allocator allocator = FirstFitAllocator.create(heap);                 // attaches to what the file holds
            int block = allocator.allocate(64);
            heap.putLong(block, 42L);
            // --- README "Persistent heaps" ends (the test keeps the handle)
            kept = block;
        }
        try (MappedHeap heap = RawHeaps.map(file, 1 << 20)) {
            assertEquals(42L, heap.getLong(kept));
            assertEquals(1, FirstFitAllocator.create(heap).stats().usedEntries());
        }
    }

    @Test
    void aMappedHeapKeepsItsBlocksAcrossCloseAndReopen() throws IOException {
        Path file = dir.resolve("kept.heap");
        int block;
        try (MappedHeap heap = RawHeaps.map(file, 4096)) {
            Allocator allocator = FirstFitAllocator.create(heap);
            block = allocator.allocate(100, 16);
            heap.putLong(block, 0x1122334455667788L);
        }
        try (MappedHeap heap = RawHeaps.map(file, 4096)) {
            Allocator allocator = FirstFitAllocator.create(heap);
            assertEquals(1, allocator.stats().usedEntries());
            assertEquals(0x1122334455667788L, heap.getLong(block));
            allocator.free(block);
            assertEquals(0, allocator.stats().usedEntries());
        }
    }

    @Test
    void everyOperationOnAClosedMappedHeapThrowsIllegalState() throws IOException {
        Path file = dir.resolve("closed.heap");
        MappedHeap heap = RawHeaps.map(file, 256);
        Allocator allocator = FirstFitAllocator.create(heap);
        int block = allocator.allocate(16);
        heap.close();
        String message = "heap closed: " + heap;
        assertEquals(message, assertThrows(IllegalStateException.class, () -> allocator.allocate(8)).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, () -> allocator.free(block)).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, () -> allocator.reallocate(block, 40))
                .getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, allocator::coalesce).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, allocator::stats).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, allocator::verify).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, () -> allocator.view(block)).getMessage());
        assertEquals(message, assertThrows(IllegalStateException.class, () -> FirstFitAllocator.create(heap))
                .getMessage());
        try (MappedHeap again = RawHeaps.map(file, 256)) {
            assertEquals(1, FirstFitAllocator.create(again).stats().usedEntries(), "the block is still in the file");
        }
    }

    @Test
    void buildingOnAReadOnlyBufferIsRefusedSayingWhy() {
        byte[] image = new byte[64];
        RawHeap writable = RawHeaps.wrap(image);
        FirstFitAllocator.create(writable).allocate(8);
        byte[] before = image.clone();
        RawHeap readOnly = RawHeaps.wrap(ByteBuffer.wrap(image).asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirstFitAllocator.create(readOnly));
        assertEquals("ByteBuffer heap of 64 bytes, LITTLE_ENDIAN is read-only: an allocator writes headers, so it"
                + " needs a writable heap (a read-only heap can be checked and walked with HeapImage)", e.getMessage());
        assertArrayEquals(before, image);
        HeapStats stats = HeapImage.check(readOnly);
        assertEquals(1, stats.usedEntries());
        assertThrows(IllegalArgumentException.class,
                () -> FirstFitAllocator.builder(RawHeaps.wrap(ByteBuffer.allocate(64).asReadOnlyBuffer())).build(),
                "a zeroed read-only heap is not initialised either");
    }

    @Test
    void buildingOnAReadOnlyMappingIsRefusedWhileTheWriterWorks() throws IOException {
        Path file = dir.resolve("watched.heap");
        try (MappedHeap heap = RawHeaps.map(file, 1024); MappedHeap reader = RawHeaps.mapReadOnly(file)) {
            Allocator allocator = FirstFitAllocator.create(heap);
            allocator.allocate(100);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FirstFitAllocator.create(reader));
            assertEquals("mapped heap " + file + " of 1024 bytes, LITTLE_ENDIAN is read-only: an allocator writes"
                    + " headers, so it needs a writable heap (a read-only heap can be checked and walked with"
                    + " HeapImage)", e.getMessage());
            assertEquals(allocator.stats(), HeapImage.check(reader), "the reader sees the writer's image");
        }
    }

    @Test
    void aDurableAllocatorOverAMappedHeapAllocatesAndFreesInTheFile() throws IOException {
        Path file = dir.resolve("durable.heap");
        try (MappedHeap heap = RawHeaps.map(file, 512)) {
            Allocator allocator = DurableAllocator.of(FirstFitAllocator.create(heap));
            int block = allocator.allocate(40);
            assertEquals(FirstFitAllocator.create(RawHeaps.wrap(Files.readAllBytes(file))).stats(), allocator.stats(),
                    "the file read through the file system holds the allocation");
            allocator.free(block);
            assertEquals(0, FirstFitAllocator.create(RawHeaps.wrap(Files.readAllBytes(file))).stats().usedEntries());
        }
    }
}
