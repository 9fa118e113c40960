package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link IndexedAllocator}'s documentation promises beyond the identity with {@link FirstFitAllocator}
 * (which {@link DifferentialTest} checks): the building rules, statistics and searches that read no more of the
 * heap than the entries they touch, {@code verify()} naming the first offset where an image changed behind the
 * allocator's back and the index disagree, operations on such an image that never hang nor throw anything but
 * the documented exceptions, and full merging with {@link Coalescing#BOTH}.
 */
class IndexedAllocatorTest {

    private static IndexedAllocator build(RawHeap heap, Fit fit, Coalescing coalescing) {
        return IndexedAllocator.builder(heap).fit(fit).coalescing(coalescing).criticalSection(new PlainSection())
                .build();
    }

    private static IndexedAllocator build(RawHeap heap, Fit fit) {
        return build(heap, fit, Coalescing.FORWARD);
    }

    private static String entries(Allocator allocator) {
        StringBuilder out = new StringBuilder("[");
        allocator.walk((offset, used, size) -> out.append(out.length() > 1 ? ", " : "").append(offset)
                .append(used ? " used " : " free ").append(size));
        return out.append(']').toString();
    }

    /** The worked example of heap-format.md, step by step, through the index. */
    @Test
    void emballocsDocumentedWalkthrough() {
        IndexedAllocator a = build(RawHeaps.allocate(32), Fit.BEST);
        assertEquals("[0 free 28]", entries(a));
        assertEquals(4, a.allocate(8));
        assertEquals(16, a.allocate(4));
        assertEquals("[0 used 8, 12 used 4, 20 free 8]", entries(a));
        assertEquals(Allocator.NULL, a.allocate(16));
        assertEquals(24, a.allocate(5));
        a.free(24);
        a.free(4);
        assertEquals("[0 free 8, 12 used 4, 20 free 8]", entries(a));
        assertEquals(4, a.allocate(8), "best fit: the lowest offset among equal sizes");
        a.free(16);
        assertEquals("[0 used 8, 12 free 16]", entries(a));
        a.verify();
    }

    @Test
    void buildingInitialisesAZeroedHeapWithOneFreeEntry() {
        byte[] image = new byte[64];
        IndexedAllocator a = build(RawHeaps.wrap(image, ByteOrder.BIG_ENDIAN), Fit.FIRST);
        assertEquals(60 << 1, ByteBuffer.wrap(image).getInt(0));
        assertEquals(new HeapStats(64, 0, 1, 0, 60, 60), a.stats());
        assertSame(Fit.FIRST, a.fit());
        assertSame(Coalescing.FORWARD, a.coalescing());
    }

    /** An image the linear walk wrote, with thousands of free entries of many sizes, attaches and carries on. */
    @ParameterizedTest
    @EnumSource(Fit.class)
    void attachingToAnImageTheLinearWalkWroteBuildsAnIndexThatAgrees(Fit fit) {
        byte[] image = new byte[1 << 20];
        FirstFitAllocator linear = FirstFitAllocator.builder(RawHeaps.wrap(image)).fit(fit)
                .criticalSection(new PlainSection()).build();
        SplittableRandom random = new SplittableRandom(fit.ordinal());
        List<Integer> handles = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            int handle = linear.allocate(1 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 90));
            if (handle != Allocator.NULL) {
                handles.add(handle);
            }
        }
        for (int i = 0; i < handles.size(); i += 2) {
            linear.free(handles.get(i)); // every other block: thousands of free entries of many sizes
        }
        IndexedAllocator indexed = build(RawHeaps.wrap(image.clone()), fit);
        indexed.verify();
        assertNull(indexed.checkInvariants());
        assertEquals(linear.stats(), indexed.stats());
        assertEquals(entries(linear), entries(indexed));
        for (int i = 0; i < 2000; i++) {
            int size = 1 + random.nextInt(200);
            assertEquals(linear.allocate(size), indexed.allocate(size), "allocation " + i);
        }
        indexed.verify();
        assertNull(indexed.checkInvariants());
    }

    /** Independent statement of "Checking an image" (heap-format.md), restated on purpose: the first bad header. */
    private static long firstBadHeader(byte[] image, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(image).order(order);
        long offset = 0;
        while (offset + 4 < image.length) {
            long size = (buffer.getInt((int) offset) & 0xFFFF_FFFFL) >>> 1;
            if (size % 4 != 0 || offset + 4 + size > image.length) {
                return offset;
            }
            offset += 4 + size;
        }
        return -1;
    }

    /** Random bit flips in sound images: refused exactly when the image breaks the rules, at its first bad header. */
    @Test
    @Timeout(120)
    void corruptImagesAreRefusedAtTheFirstBadHeaderAndLeftAsTheyWere() {
        SplittableRandom random = new SplittableRandom(0xBAD1);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int capacity = 8 + 4 * random.nextInt(100);
            byte[] image = new byte[capacity];
            IndexedAllocator writer = build(RawHeaps.wrap(image, order), Fit.BEST);
            for (int op = random.nextInt(30); op > 0; op--) {
                writer.allocate(random.nextInt(capacity / 4 + 1));
            }
            for (int flip = 1 + random.nextInt(3); flip > 0; flip--) {
                int bit = random.nextInt(capacity * 8);
                image[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            if (ByteBuffer.wrap(image).order(order).getInt(0) == 0) {
                continue; // an uninitialised heap, not a corrupt one
            }
            long expected = firstBadHeader(image, order);
            byte[] before = image.clone();
            Fit fit = random.nextBoolean() ? Fit.BEST : Fit.FIRST;
            if (expected < 0) {
                IndexedAllocator attached = build(RawHeaps.wrap(image, order), fit);
                attached.verify();
                assertNull(attached.checkInvariants());
                continue;
            }
            HeapCorruptedException e = assertThrows(HeapCorruptedException.class,
                    () -> build(RawHeaps.wrap(image, order), fit), "image " + i);
            assertEquals(expected, e.offset(), e.getMessage());
            assertArrayEquals(before, image, "a refused image must be left as it was");
            refused++;
        }
        assertTrue(refused > 500, "only " + refused + " images were corrupt");
    }

    @Test
    void readOnlyHeapsAreRefusedAndNotWritten() {
        ByteBuffer bytes = ByteBuffer.allocate(64);
        RawHeap readOnly = RawHeaps.wrap(bytes.asReadOnlyBuffer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(readOnly, Fit.FIRST));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertEquals(0, bytes.getInt(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 6, 10, 2_147_483_647})
    void capacitiesTheFormatCannotHoldAreRefused(int capacity) {
        RawHeap heap = new SparseHeap(Math.max(capacity, 0), ByteOrder.LITTLE_ENDIAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(heap, Fit.FIRST));
        assertEquals("heap capacity " + capacity + " is not a multiple of 4 from 8 to 2147483644", e.getMessage());
    }

    @Test
    void builderRejectsNulls() {
        RawHeap heap = RawHeaps.allocate(64);
        assertThrows(NullPointerException.class, () -> IndexedAllocator.builder(null));
        assertThrows(NullPointerException.class, () -> IndexedAllocator.builder(heap).fit(null));
        assertThrows(NullPointerException.class, () -> IndexedAllocator.builder(heap).coalescing(null));
        assertThrows(NullPointerException.class, () -> IndexedAllocator.builder(heap).criticalSection(null));
        assertThrows(NullPointerException.class, () -> build(heap, Fit.FIRST).walk(null));
    }

    /** {@code create} guards the allocator with the chosen provider's section ({@code cas}: shareable). */
    @Test
    void createUsesTheChosenCriticalSection() throws InterruptedException {
        assertEquals("cas", CriticalSections.chosen().name());
        IndexedAllocator allocator = IndexedAllocator.create(RawHeaps.allocate(64));
        assertSame(Fit.FIRST, allocator.fit());
        int handle = allocator.allocate(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                allocator.free(handle);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertNull(failure.get());
        assertEquals(0, allocator.stats().usedEntries());
    }

    /**
     * No walk: with 20,000 live blocks, an allocate or free reads a few headers (those it writes, the one that
     * holds the offset, a stale best-fit candidate now and then), where a walk would read thousands; and stats()
     * reads none.
     */
    @ParameterizedTest
    @EnumSource(Fit.class)
    void allocateFreeAndStatsReadOnlyTheHeadersTheyTouch(Fit fit) {
        for (Coalescing coalescing : Coalescing.values()) {
            RecordingHeap heap = new RecordingHeap(RawHeaps.allocate(20_000 * 300));
            IndexedAllocator allocator = build(heap, fit, coalescing);
            SplittableRandom random = new SplittableRandom(3);
            int[] live = new int[20_000];
            for (int i = 0; i < live.length; i++) {
                live[i] = allocator.allocate(8 + random.nextInt(249));
            }
            long before = heap.intReads();
            int pairs = 50_000;
            for (int i = 0; i < pairs; i++) {
                int victim = random.nextInt(live.length);
                allocator.free(live[victim] + random.nextInt(8));
                live[victim] = allocator.allocate(8 + random.nextInt(249), 1 << random.nextInt(4));
            }
            double perPair = (heap.intReads() - before) / (double) pairs;
            assertTrue(perPair <= 5, fit + " " + coalescing + ": " + perPair + " header reads per allocate+free");
            before = heap.intReads();
            HeapStats stats = allocator.stats();
            assertEquals(before, heap.intReads(), "stats() read the heap");
            assertEquals(20_000, stats.usedEntries());
            allocator.verify();
        }
    }

    /** The index is a cache: a header changed behind the allocator's back is not seen until verify(). */
    @Test
    void verifyNamesTheFirstOffsetWhereTheImageAndTheIndexDisagree() {
        for (Fit fit : Fit.values()) {
            // a used entry turned free: the image is sound, the index disagrees at that header
            RawHeap heap = RawHeaps.allocate(256);
            IndexedAllocator a = build(heap, fit);
            int x = a.allocate(8);
            int y = a.allocate(16);
            a.allocate(8);
            HeapStats before = a.stats();
            heap.putInt(y - 4, HeaderDescriptor.word(16, false));
            assertEquals(before, a.stats(), "stats() come from the index");
            HeapCorruptedException e = assertThrows(HeapCorruptedException.class, a::verify);
            assertEquals(y - 4, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains("behind the allocator's back"), e.getMessage());
            // restored: verify passes again; a change inside a payload is not part of the image
            heap.putInt(y - 4, HeaderDescriptor.word(16, true));
            heap.putInt(x, 0xFFFF_FFFF);
            a.verify();

            // a free entry split in two by a header written into its payload: disagreement at the split entry
            RawHeap split = RawHeaps.allocate(256);
            IndexedAllocator b = build(split, fit);
            int first = b.allocate(8);
            int last = b.allocate(40);
            b.allocate(8);
            b.free(last);
            split.putInt(last - 4, HeaderDescriptor.word(16, false));
            split.putInt(last + 16, HeaderDescriptor.word(20, false));
            e = assertThrows(HeapCorruptedException.class, b::verify);
            assertEquals(last - 4, e.offset(), e.getMessage());
            assertTrue(first < last);

            // two entries merged into one behind its back: the first differs (its size), before the skipped one
            RawHeap merged = RawHeaps.allocate(256);
            IndexedAllocator c = build(merged, fit);
            int p = c.allocate(8);
            c.allocate(8);
            merged.putInt(p - 4, HeaderDescriptor.word(20, true));
            e = assertThrows(HeapCorruptedException.class, c::verify);
            assertEquals(p - 4, e.offset(), e.getMessage());
        }
    }

    /**
     * Headers changed behind the allocator's back, then random operations: each returns or throws a
     * {@link HeapException} or an {@link IllegalArgumentException}, never anything else, never hangs, never
     * writes outside the heap (which would throw {@link IndexOutOfBoundsException}).
     */
    @Test
    @Timeout(120)
    void operationsOnAnImageChangedBehindTheirBackThrowOnlyTheDocumentedExceptions() {
        SplittableRandom random = new SplittableRandom(0x7A3);
        int thrown = 0;
        for (int run = 0; run < 400; run++) {
            int capacity = 64 + 4 * random.nextInt(500);
            RawHeap heap = RawHeaps.allocate(capacity, random.nextBoolean() ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN);
            IndexedAllocator a = build(heap, random.nextBoolean() ? Fit.BEST : Fit.FIRST,
                    random.nextBoolean() ? Coalescing.BOTH : Coalescing.FORWARD);
            List<Integer> handles = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                int handle = a.allocate(random.nextInt(capacity / 8));
                if (handle != Allocator.NULL) {
                    handles.add(handle);
                }
            }
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                int at = 4 * random.nextInt(capacity / 4);
                if (random.nextBoolean() && !handles.isEmpty()) {
                    at = handles.get(random.nextInt(handles.size())) - 4 & ~3; // a header, most likely
                }
                heap.putInt(at, random.nextInt(4) == 0 ? random.nextInt() : heap.getInt(at) ^ (1 << random.nextInt(32)));
            }
            for (int op = 0; op < 60; op++) {
                try {
                    switch (random.nextInt(7)) {
                        case 0, 1 -> {
                            int handle = a.allocate(random.nextInt(capacity), 1 << random.nextInt(8));
                            if (handle != Allocator.NULL) {
                                handles.add(handle);
                            }
                        }
                        case 2, 3 -> a.free(handles.isEmpty() || random.nextInt(4) == 0
                                ? random.nextInt(capacity + 8) - 4 : handles.get(random.nextInt(handles.size())));
                        case 4 -> a.reallocate(handles.isEmpty() ? Allocator.NULL
                                : handles.get(random.nextInt(handles.size())), random.nextInt(capacity / 2));
                        case 5 -> a.usableSize(random.nextInt(capacity));
                        default -> {
                            if (random.nextBoolean()) {
                                a.coalesce();
                            } else {
                                a.stats();
                            }
                        }
                    }
                } catch (HeapException | IllegalArgumentException expected) {
                    thrown++;
                }
            }
            try {
                a.verify();
            } catch (HeapCorruptedException expected) {
                thrown++;
            }
        }
        assertTrue(thrown > 100, "only " + thrown + " operations met a changed header");
    }

    /** With BOTH, freeing every block in any order leaves one free entry (and at most the 4-byte tail). */
    @ParameterizedTest
    @EnumSource(Fit.class)
    void bothCoalescingLeavesOneFreeEntryOnceEveryBlockIsFreed(Fit fit) {
        SplittableRandom random = new SplittableRandom(20);
        int tails = 0;
        for (int run = 0; run < 300; run++) {
            int capacity = 64 + 4 * random.nextInt(1000);
            IndexedAllocator a = build(RawHeaps.allocate(capacity), fit, Coalescing.BOTH);
            List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int size = random.nextInt(8) == 0 ? capacity - 8 - 4 * random.nextInt(4) : random.nextInt(64);
                int handle = a.allocate(size);
                if (handle != Allocator.NULL) {
                    handles.add(handle);
                }
                if (random.nextInt(3) == 0 && !handles.isEmpty()) {
                    a.free(handles.remove(random.nextInt(handles.size())));
                }
            }
            while (!handles.isEmpty()) {
                a.free(handles.remove(random.nextInt(handles.size())));
            }
            HeapStats stats = a.stats();
            assertEquals(0, stats.usedEntries());
            assertEquals(1, stats.freeEntries(), "run " + run + ": " + entries(a));
            assertEquals(capacity - 4 - stats.unusableBytes(), stats.largestFree());
            tails += stats.unusableBytes() == 4 ? 1 : 0;
            assertEquals(0, a.coalesce(), "nothing left to merge");
            a.verify();
        }
        assertTrue(tails > 10 && tails < 290, tails + " runs left the never-visited tail");
    }

    @Test
    void coalesceMergesEveryRunWithOneWriteEachAndReturnsTheMerges() {
        for (Fit fit : Fit.values()) {
            RecordingHeap heap = new RecordingHeap(RawHeaps.allocate(128));
            IndexedAllocator a = build(heap, fit);
            int[] blocks = new int[6];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = a.allocate(8);
            }
            a.free(blocks[0]);
            a.free(blocks[1]);
            a.free(blocks[3]);
            a.free(blocks[4]);
            assertEquals("[0 free 8, 12 free 8, 24 used 8, 36 free 8, 48 free 8, 60 used 8, 72 free 52]", entries(a));
            heap.clear();
            assertEquals(2, a.coalesce());
            assertEquals(2, heap.writes(), "one header write per run");
            assertEquals("[0 free 20, 24 used 8, 36 free 20, 60 used 8, 72 free 52]", entries(a));
            assertEquals(4, a.allocate(20), "the merged entries are found by the index");
            a.verify();
            assertNull(a.checkInvariants());
        }
    }

    @Test
    void allocateOrThrowNamesTheFiguresOfTheIndex() {
        IndexedAllocator a = build(RawHeaps.allocate(32), Fit.BEST);
        int x = a.allocate(4);
        a.allocate(4);
        a.free(x);
        HeapExhaustedException e = assertThrows(HeapExhaustedException.class, () -> a.allocateOrThrow(13, 8));
        assertEquals(12, e.largestFree());
        assertEquals(16, e.freeBytes());
        assertEquals(1, a.counts().failedAllocations());
    }

    /** The largest heap the format allows (sparse), and alignments up to 2^30 in it. */
    @Test
    void theLargestHeapWorksUpToItsLastByte() {
        int capacity = HeaderDescriptor.MAX_CAPACITY;
        for (Fit fit : Fit.values()) {
            IndexedAllocator a = build(new SparseHeap(capacity, ByteOrder.LITTLE_ENDIAN), fit, Coalescing.BOTH);
            int aligned = a.allocate(100, 1 << 30);
            assertEquals(1 << 30, aligned);
            // the first entry holds 2^30 + 100 bytes; the rest is one free entry of capacity - 2^30 - 108 bytes:
            // taking all of it but 4 leaves exactly a header's worth at the very end
            int rest = a.allocate(capacity - (1 << 30) - 112);
            assertEquals((1 << 30) + 108, rest);
            assertEquals(4, a.stats().unusableBytes(), "exactly 4 bytes left at the end: the never-visited entry");
            a.free(aligned);
            a.free(rest);
            assertEquals(new HeapStats(capacity, 0, 1, 0, capacity - 8, capacity - 8), a.stats());
            a.verify();
        }
    }
}
