package io.github.emballoc.indexed;

import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.image.HeaderAccess;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import java.util.Arrays;

/**
 * Exact best fit in O(log n): the smallest free entry that holds the request, the lowest offset among equals
 * (emballoc's choice).
 *
 * <pre>
 * small sizes, 4 to 4 (bins - 1) bytes (bins = min(4096, capacity / 4) rounded up to 64): one bin per size
 *   count[b]       the free entries of exactly 4b bytes
 *   heaps[b]       a binary min-heap of their header offsets, length[b] elements; it may also hold stale
 *                  copies: offsets that left the bin (merged away, or used) and were not taken out, and
 *                  duplicates of an offset that left and came back
 *   nonEmpty[b/64] bit b % 64 set &lt;=&gt; count[b] &gt; 0; summary bit w set &lt;=&gt; nonEmpty[w] != 0
 * large sizes, 4 bins bytes and more:
 *   large          a {@link LargeFreeSet} of (size &lt;&lt; 32 | offset), exact (no stale keys)
 * zero-size free entries are in neither: no request fits them
 * </pre>
 *
 * <b>A copy in heaps[b] is live</b> when the {@link EntryBitmap} holds a free entry of exactly 4b bytes at that
 * offset (its free bit, and the next header 4b + 4 bytes on); otherwise it is stale. The image is read only at
 * the live top an allocation is about to take, and must agree. Invariant: every free entry of
 * 4b bytes has a live copy in heaps[b], and count[b] is the number of distinct such entries. So the live copy
 * with the smallest offset is the lowest-offset free entry of 4b bytes: <b>find</b> takes the first non-empty
 * bin at or above the request's (two bit scans), drops stale copies from its top (each was put there by an
 * operation, which pays for dropping it), and returns the top; only when no small bin fits does it ask the
 * large set for its smallest key at or above {@code need << 32}.
 *
 * <p><b>added</b> pushes a copy (O(log n), O(1) on average) and counts it; <b>removed</b> counts it out and pops
 * it when it is the top (it is, when the entry was just chosen); any other copy goes stale in place, and a bin
 * whose count drops to 0 is emptied at once. A full heap array is compacted (stale copies and duplicates
 * dropped, sorted, which is a valid heap) when at most half of it can be live, and doubled only otherwise: so
 * an array grows only when its bin reaches a new high of entries, and each compaction is paid for by the
 * half-array of stale copies it drops.
 *
 * <p>Memory: 12 bytes per bin ({@code count}, {@code length}, the array reference) plus 4 to 16 bytes per
 * small free entry (an offset in an array at most half stale, grown by doubling); 16 to 32 bytes per large free
 * entry; nothing per heap byte.
 */
final class BestFitIndex extends FreeIndex {

    /** The largest number of small bins: sizes below 16 KiB have one bin each. */
    static final int MAX_BINS = 4096;

    private static final int FIRST_ARRAY = 8;

    private final EntryBitmap bitmap;
    private final HeaderAccess access;
    private final int bins;
    private final int[] count;
    private final int[] length;
    private final int[][] heaps;
    private final long[] nonEmpty;
    private long summary;
    private final LargeFreeSet large = new LargeFreeSet();

    BestFitIndex(EntryBitmap bitmap, HeaderAccess access, int capacity) {
        this.bitmap = bitmap;
        this.access = access;
        this.bins = Math.min(MAX_BINS, ((capacity >>> 2) + 63) & ~63);
        this.count = new int[bins];
        this.length = new int[bins];
        this.heaps = new int[bins][];
        this.nonEmpty = new long[bins >>> 6];
    }

    @Override
    int find(int need) {
        int g = need >>> 2;
        if (g < bins) {
            for (int b = nextBin(g); b >= 0; b = nextBin(b + 1)) {
                int offset = liveTop(b);
                if (offset >= 0) {
                    foundSize = b << 2;
                    return offset;
                }
            }
        }
        long key = large.ceiling((long) need << 32);
        if (key < 0) {
            return -1;
        }
        int offset = (int) key;
        int size = (int) (key >>> 32);
        int word = access.getWord(offset);
        if (word != HeaderDescriptor.word(size, false) || !bitmap.isFree(offset >>> 2)) {
            throw HeapImage.corrupt(offset, word, "the index holds a free entry of " + size + " bytes here but the"
                    + " header differs (the image was changed behind the allocator's back)");
        }
        foundSize = size;
        return offset;
    }

    /** The smallest non-empty bin at or above {@code b}, or -1. */
    private int nextBin(int b) {
        if (b >= bins) {
            return -1;
        }
        int w = b >>> 6;
        long m = nonEmpty[w] & (-1L << b);
        if (m != 0) {
            return (w << 6) | Long.numberOfTrailingZeros(m);
        }
        long s = summary & (-2L << w);
        if (s == 0) {
            return -1;
        }
        int v = Long.numberOfTrailingZeros(s);
        return (v << 6) | Long.numberOfTrailingZeros(nonEmpty[v]);
    }

    /** Whether a copy is live: a free entry of exactly {@code 4 bin} bytes is at that offset (by the bitmap). */
    private boolean live(int offset, int bin) {
        int g = offset >>> 2;
        return bitmap.isFree(g) && bitmap.sizeAt(g) == bin << 2;
    }

    /**
     * The smallest live offset of a non-empty bin, dropping the stale copies above it. When none is live the
     * image no longer holds what the index counted: the bin is emptied and the disagreement reported.
     */
    private int liveTop(int b) {
        int[] heap = heaps[b];
        int dropped = -1;
        while (length[b] > 0) {
            int offset = heap[0];
            // the header the allocation is about to write, read before the bitmap so that the misses overlap
            int word = access.getWord(offset);
            if (live(offset, b)) {
                if (word != b << 3) {
                    throw HeapImage.corrupt(offset, word, "the index holds a free entry of " + (b << 2) + " bytes"
                            + " here but the header differs (the image was changed behind the allocator's back)");
                }
                return offset;
            }
            dropped = offset;
            pop(b);
        }
        int lost = count[b];
        count[b] = 0;
        clearBin(b);
        throw new HeapCorruptedException(Math.max(dropped, 0), "the best-fit index is inconsistent: it counts "
                + lost + " free entr" + (lost == 1 ? "y" : "ies") + " of " + (b << 2) + " bytes but holds none");
    }

    @Override
    void added(int offset, int size) {
        int b = size >>> 2;
        if (b == 0) {
            return;
        }
        if (b >= bins) {
            large.insert(((long) size << 32) | offset);
            return;
        }
        push(b, offset);
        if (count[b]++ == 0) {
            nonEmpty[b >>> 6] |= 1L << b;
            summary |= 1L << (b >>> 6);
        }
    }

    @Override
    void removed(int offset, int size) {
        int b = size >>> 2;
        if (b == 0) {
            return;
        }
        if (b >= bins) {
            large.remove(((long) size << 32) | offset);
            return;
        }
        if (count[b] == 0) {
            return; // not counted (only after a reported disagreement)
        }
        if (--count[b] == 0) {
            length[b] = 0; // every copy left is stale
            clearBin(b);
        } else if (heaps[b][0] == offset) {
            pop(b);
        }
    }

    @Override
    void resized(int offset, int oldSize, int newSize) {
        removed(offset, oldSize);
        added(offset, newSize);
    }

    private void clearBin(int b) {
        int w = b >>> 6;
        long now = nonEmpty[w] & ~(1L << b);
        nonEmpty[w] = now;
        if (now == 0) {
            summary &= ~(1L << w);
        }
    }

    private void push(int b, int offset) {
        int[] heap = heaps[b];
        int n = length[b];
        if (heap == null || n == heap.length) {
            heap = makeRoom(b);
            n = length[b];
        }
        int i = n;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int above = heap[parent];
            if (above <= offset) {
                break;
            }
            heap[i] = above;
            i = parent;
        }
        heap[i] = offset;
        length[b] = n + 1;
    }

    private void pop(int b) {
        int[] heap = heaps[b];
        int n = length[b] - 1;
        length[b] = n;
        if (n == 0) {
            return;
        }
        int last = heap[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < n && heap[right] < c) {
                child = right;
                c = heap[right];
            }
            if (last <= c) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = last;
    }

    /** Makes room for one more copy in a full (or absent) heap array: compacts it, or doubles it. */
    private int[] makeRoom(int b) {
        int[] heap = heaps[b];
        if (heap == null) {
            heap = new int[FIRST_ARRAY];
            heaps[b] = heap;
            return heap;
        }
        if (count[b] < heap.length / 2) {
            compact(b);
        }
        if (length[b] >= heap.length / 2) {
            heap = Arrays.copyOf(heap, heap.length * 2);
            heaps[b] = heap;
        }
        return heap;
    }

    /** Drops stale copies and duplicates: the live offsets, ascending (which is a valid min-heap). */
    private void compact(int b) {
        int[] heap = heaps[b];
        int n = length[b];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int offset = heap[i];
            if (live(offset, b)) {
                heap[kept++] = offset;
            }
        }
        sort(heap, kept);
        int distinct = 0;
        for (int i = 0; i < kept; i++) {
            if (distinct == 0 || heap[distinct - 1] != heap[i]) {
                heap[distinct++] = heap[i];
            }
        }
        length[b] = distinct;
    }

    /** Sorts {@code a[0, n)} ascending in place (heapsort: no allocation, O(n log n)). */
    static void sort(int[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDownMax(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            int t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDownMax(a, 0, end);
        }
    }

    private static void siftDownMax(int[] a, int i, int n) {
        int value = a[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && a[child + 1] > a[child]) {
                child++;
            }
            if (a[child] <= value) {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = value;
    }

    @Override
    int largest() {
        long last = large.last();
        if (last >= 0) {
            return (int) (last >>> 32);
        }
        if (summary == 0) {
            return 0;
        }
        int w = 63 - Long.numberOfLeadingZeros(summary);
        return ((w << 6) | (63 - Long.numberOfLeadingZeros(nonEmpty[w]))) << 2;
    }

    @Override
    long bytes() {
        long total = IndexMemory.ints(count.length) + IndexMemory.ints(length.length)
                + IndexMemory.references(heaps.length) + IndexMemory.longs(nonEmpty.length) + large.bytes();
        for (int[] heap : heaps) {
            if (heap != null) {
                total += IndexMemory.ints(heap.length);
            }
        }
        return total;
    }

    @Override
    void checkAgainst(int[] offsets, int[] sizes, int entries) {
        int first = Integer.MAX_VALUE;
        String reason = null;
        int[] expected = new int[bins];
        long[] largeKeys = new long[entries];
        int largeCount = 0;
        for (int e = 0; e < entries; e++) {
            int b = sizes[e] >>> 2;
            if (b >= bins) {
                largeKeys[largeCount++] = ((long) sizes[e] << 32) | offsets[e];
            } else if (b > 0) {
                expected[b]++;
            }
        }
        // small bins: the distinct live copies of each must be exactly the image's free entries of that size
        int[][] liveCopies = new int[bins][];
        for (int b = 1; b < bins; b++) {
            int n = length[b];
            int[] copies = new int[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (live(heaps[b][i], b)) {
                    copies[kept++] = heaps[b][i];
                }
            }
            sort(copies, kept);
            int distinct = 0;
            for (int i = 0; i < kept; i++) {
                if (distinct == 0 || copies[distinct - 1] != copies[i]) {
                    copies[distinct++] = copies[i];
                }
            }
            liveCopies[b] = Arrays.copyOf(copies, distinct);
        }
        int[] seen = new int[bins];
        for (int e = 0; e < entries; e++) {
            int b = sizes[e] >>> 2;
            if (b == 0 || b >= bins) {
                continue;
            }
            int[] copies = liveCopies[b];
            int k = seen[b]++;
            if (k >= copies.length || copies[k] != offsets[e]) {
                if (offsets[e] < first) {
                    first = offsets[e];
                    reason = "the best-fit index has no entry for the free entry of " + sizes[e] + " bytes here";
                }
            }
        }
        for (int b = 1; b < bins; b++) {
            if (count[b] != expected[b] && reason == null) {
                int at = 0;
                for (int e = 0; e < entries; e++) {
                    if (sizes[e] == b << 2) {
                        at = offsets[e];
                        break;
                    }
                }
                first = at;
                reason = "the best-fit index counts " + count[b] + " free entries of " + (b << 2)
                        + " bytes, the image has " + expected[b];
            }
        }
        // large sizes: exactly the image's
        long[] want = Arrays.copyOf(largeKeys, largeCount);
        Arrays.sort(want);
        long[] have = large.toArray();
        for (long key : want) {
            if (Arrays.binarySearch(have, key) < 0 && (int) key < first) {
                first = (int) key;
                reason = "the best-fit index has no entry for the free entry of " + (key >>> 32) + " bytes here";
            }
        }
        for (long key : have) {
            if (Arrays.binarySearch(want, key) < 0 && (int) key < first) {
                first = (int) key;
                reason = "the best-fit index holds a free entry of " + (key >>> 32) + " bytes here that the image"
                        + " does not";
            }
        }
        if (reason != null) {
            throw new HeapCorruptedException(first, reason);
        }
    }

    @Override
    String checkInvariants() {
        long words = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] < 0 || (count[b] == 0 && length[b] != 0) || (b == 0 && count[b] != 0)) {
                return "bin " + b + " counts " + count[b] + " with " + length[b] + " copies";
            }
            if (count[b] > 0 && (heaps[b] == null || length[b] < 1 || length[b] > heaps[b].length)) {
                return "bin " + b + " counts " + count[b] + " with " + length[b] + " copies";
            }
            boolean marked = (nonEmpty[b >>> 6] & (1L << b)) != 0;
            if (marked != (count[b] > 0)) {
                return "bin " + b + " is " + (marked ? "" : "not ") + "marked non-empty with " + count[b] + " entries";
            }
            for (int i = 1; i < length[b]; i++) {
                if (heaps[b][(i - 1) >>> 1] > heaps[b][i]) {
                    return "bin " + b + " breaks the heap order at " + i;
                }
            }
            if (nonEmpty[b >>> 6] != 0) {
                words |= 1L << (b >>> 6);
            }
        }
        if (words != summary) {
            return "summary " + Long.toHexString(summary) + ", expected " + Long.toHexString(words);
        }
        return large.checkInvariants();
    }
}
