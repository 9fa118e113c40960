package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The memory figures of {@link IndexedAllocator}'s class description, measured: the Java heap bytes of the index's
 * arrays ({@link IndexedAllocator#indexBytes()}, laid out as a 64-bit JVM with compressed references does) for
 * heaps of 64 KiB to 1 GiB, empty and holding many entries.
 *
 * <ul>
 *   <li>Per heap byte, on an empty heap: first fit 0.078 to 0.0805 (two bits per 4 bytes, the summary levels,
 *       the largest free size per 256 bytes and its tree); best fit 0.0625 to 0.0635 plus 24 bytes for each
 *       size with a bin (capacity / 256 of them, at most 4096: 96 KiB).</li>
 *   <li>Per entry: first fit nothing at all; best fit at most 24 bytes per free entry at the highest number of
 *       free entries (an offset in the heaps' arena with its slack and stale copies, or a treap node), nothing per
 *       used entry.</li>
 * </ul>
 *
 * The figures are printed to the test's output.
 */
class IndexMemoryTest {

    private static IndexedAllocator build(RawHeap heap, Fit fit) {
        return IndexedAllocator.builder(heap).fit(fit).criticalSection(new PlainSection()).build();
    }

    @Test
    void perHeapByteOnEmptyHeaps() {
        int[] capacities = {1 << 16, 1 << 20, 16 << 20, 1 << 30};
        for (int capacity : capacities) {
            for (Fit fit : Fit.values()) {
                RawHeap heap = capacity > (16 << 20) ? new SparseHeap(capacity, ByteOrder.LITTLE_ENDIAN)
                        : RawHeaps.allocate(capacity);
                long bytes = build(heap, fit).indexBytes();
                double perHeapByte = bytes / (double) capacity;
                System.out.printf("%-5s empty heap of %,13d bytes: index %,11d bytes, %.5f per heap byte%n", fit,
                        capacity, bytes, perHeapByte);
                if (fit == Fit.FIRST) {
                    // 1/16 + 1/2048 (bitmap and summaries), 1/64 + 1/960 (ranges and tree), array headers
                    assertTrue(perHeapByte >= 0.078 && perHeapByte <= (capacity < 1 << 20 ? 0.085 : 0.0805),
                            fit + " " + capacity + ": " + perHeapByte);
                } else {
                    // 1/16 + 1/2048, and 24 bytes for each of the min(4096, capacity / 256) sizes with a bin
                    long tables = 24L * Math.min(4096, capacity / 256);
                    assertTrue(bytes >= capacity / 16 && bytes <= capacity * 0.0635 + tables + 4096,
                            fit + " " + capacity + ": " + bytes + " bytes");
                }
            }
        }
    }

    @Test
    void perEntryOnAFullHeap() {
        int capacity = 64 << 20;
        for (Fit fit : Fit.values()) {
            IndexedAllocator allocator = build(RawHeaps.allocate(capacity), fit);
            long empty = allocator.indexBytes();
            SplittableRandom random = new SplittableRandom(9);
            int[] handles = new int[300_000];
            int n = 0;
            while (n < handles.length) {
                int handle = allocator.allocate(random.nextInt(100) == 0 ? 16_384 + random.nextInt(20_000)
                        : 8 + random.nextInt(249));
                if (handle == Allocator.NULL) {
                    break;
                }
                handles[n++] = handle;
            }
            for (int i = 0; i < n; i += 2) {
                allocator.free(handles[i]); // every other block: free entries of every size, large ones too
            }
            HeapStats high = allocator.stats();
            long atHigh = allocator.indexBytes();
            // then a churn: stale copies and slack at their usual level, entries merged away
            for (int i = 0; i < 200_000; i++) {
                int victim = 1 + 2 * random.nextInt(n / 2);
                allocator.free(handles[victim]);
                int handle = allocator.allocate(8 + random.nextInt(249));
                handles[victim] = handle == Allocator.NULL ? allocator.allocate(8) : handle;
            }
            HeapStats after = allocator.stats();
            long full = allocator.indexBytes();
            int most = Math.max(high.freeEntries(), after.freeEntries());
            double perFree = (Math.max(atHigh, full) - empty) / (double) most;
            System.out.printf("%-5s heap of %,d bytes: index %,d bytes empty; %,d with %,d used and %,d free entries;"
                    + " %,d after a churn to %,d free entries: %.1f bytes per free entry at the high%n", fit, capacity,
                    empty, atHigh, high.usedEntries(), high.freeEntries(), full, after.freeEntries(), perFree);
            if (fit == Fit.FIRST) {
                assertEquals(empty, full, "first fit takes no memory per entry");
                assertEquals(empty, atHigh, "first fit takes no memory per entry");
            } else {
                assertTrue(perFree <= 24, "best fit: " + perFree + " bytes per free entry at the high");
            }
            allocator.verify();
        }
    }
}
