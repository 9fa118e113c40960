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
 * small sizes, 4 to 4 (bins - 1) bytes (bins = capacity / 256 rounded up to 64, from 64 to 4096): a bin per size
 *   count[b]       the free entries of exactly 4b bytes
 *   heaps, bin b   a binary min-heap of their header offsets ({@link OffsetHeaps}, one arena for all bins); it
 *                  may also hold stale copies: offsets that left the bin (merged away, or used) and were not
 *                  taken out, and duplicates of an offset that left and came back
 *   nonEmpty[b/64] bit b % 64 set &lt;=&gt; count[b] &gt; 0; summary bit w set &lt;=&gt; nonEmpty[w] != 0
 * large sizes, 4 bins bytes and more:
 *   large          a {@link LargeFreeSet} of (size &lt;&lt; 32 | offset), exact (no stale keys)
 * zero-size free entries are in neither: no request fits them
 * </pre>
 *
 * <b>A copy in bin b is live</b> when the {@link EntryBitmap} holds a free entry of exactly 4b bytes at that
 * offset (its free bit, and the next header 4b + 4 bytes on); otherwise it is stale. Invariant: every free entry
 * of 4b bytes has a live copy in bin b, and count[b] is the number of distinct such entries. So the live copy with
 * the smallest offset is the lowest-offset free entry of 4b bytes: <b>find</b> takes the first non-empty bin at or
 * above the request's (two bit scans), drops stale copies from its top (each was put there by an operation, which
 * pays for dropping it; when the heap holds exactly count[b] copies none can be stale, and the bitmap is not even
 * asked), and returns the top, whose header (which the allocation is about to write) must agree;
 * only when no small bin fits does it ask the large set for its smallest key at or above {@code need << 32}.
 *
 * <p><b>added</b> pushes a copy (O(log n), O(1) on average) and counts it; <b>removed</b> counts it out and pops
 * it when it is the top (it is, when the entry was just chosen); in a bin of at most {@value #EAGER_REMOVAL} copies
 * it scans for the copy and takes it out (O(1) in n, and it keeps the short bins, most of them, free of stale
 * copies, so that find seldom asks the bitmap); in a longer bin the copy goes stale in place; a bin whose count
 * drops to 0 is emptied at once. A full segment drops its stale copies and duplicates when at most
 * half of it can be live, and {@link OffsetHeaps} compacts the arena, so stale copies never outnumber live ones
 * for long and the arena grows only when the number of free entries reaches a new high. Liveness is decided by
 * the bitmap, which the allocator brings to its final state before any addition (where compactions happen).
 *
 * <p>Memory: 24 bytes per bin (its count and {@link OffsetHeaps}' five ints), so at most 96 KiB, and 3/32 of a byte
 * per heap byte below 1 MiB; per small free entry, an offset in the arena with its slack and stale copies; per large
 * free entry, a treap node of 16 bytes with its slack; nothing per used entry. {@code IndexMemoryTest} measures
 * them.
 */
final class BestFitIndex extends FreeIndex implements OffsetHeaps.Liveness {

    /** The largest number of small bins: sizes below 16 KiB have one bin each. */
    static final int MAX_BINS = 4096;

    /** Bins of at most this many copies drop a removed entry's copy at once; longer ones leave it stale. */
    static final int EAGER_REMOVAL = 32;

    private final EntryBitmap bitmap;
    private final HeaderAccess access;
    private final int bins;
    private final int[] count;
    private final OffsetHeaps heaps;
    private final long[] nonEmpty;
    private long summary;
    private final LargeFreeSet large = new LargeFreeSet();

    BestFitIndex(EntryBitmap bitmap, HeaderAccess access, int capacity) {
        this.bitmap = bitmap;
        this.access = access;
        // a bin per size below a 64th of the heap (at least 64 bins, at most 4096): larger sizes go to the treap
        this.bins = Math.min(MAX_BINS, Math.max(64, ((capacity >>> 8) + 63) & ~63));
        this.count = new int[bins];
        this.heaps = new OffsetHeaps(bins, this);
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
     * Keeps a live copy once: the entry's free bit is cleared while the compaction lasts, so that a duplicate
     * of the same offset then looks stale ({@link #release} sets it again). The bitmap is this allocator's, used
     * inside its critical section, and no exception can be thrown between the two.
     */
    @Override
    public boolean claim(int offset, int bin) {
        if (!live(offset, bin)) {
            return false;
        }
        bitmap.clearFree(offset >>> 2);
        return true;
    }

    @Override
    public void release(int offset, int bin) {
        bitmap.setFree(offset >>> 2);
    }

    /**
     * The smallest live offset of a non-empty bin, dropping the stale copies above it. When none is live the
     * image no longer holds what the index counted: the bin is emptied and the disagreement reported.
     */
    private int liveTop(int b) {
        int dropped = -1;
        while (heaps.length(b) > 0) {
            int offset = heaps.top(b);
            // the header the allocation is about to write, read before the bitmap so that the misses overlap
            int word = access.getWord(offset);
            // every counted entry has a copy, so as many copies as entries means none is stale: no need to look
            if (heaps.length(b) == count[b] || live(offset, b)) {
                if (word != b << 3) {
                    throw HeapImage.corrupt(offset, word, "the index holds a free entry of " + (b << 2) + " bytes"
                            + " here but the header differs (the image was changed behind the allocator's back)");
                }
                return offset;
            }
            dropped = offset;
            heaps.pop(b);
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
        heaps.push(b, offset, count[b]);
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
            heaps.clear(b); // every copy left is stale
            clearBin(b);
        } else if (heaps.top(b) == offset) {
            heaps.pop(b);
        } else if (heaps.length(b) <= EAGER_REMOVAL) {
            heaps.remove(b, offset); // a short scan now instead of a stale copy to judge and drop later
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
        return IndexMemory.ints(count.length) + heaps.bytes() + IndexMemory.longs(nonEmpty.length) + large.bytes();
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
            int n = heaps.length(b);
            int[] copies = new int[n];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int copy = heaps.element(b, i);
                if (live(copy, b)) {
                    copies[kept++] = copy;
                }
            }
            OffsetHeaps.sort(copies, 0, kept);
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
            int n = heaps.length(b);
            if (count[b] < 0 || (count[b] == 0 && n != 0) || (b == 0 && count[b] != 0) || (count[b] > 0 && n < 1)) {
                return "bin " + b + " counts " + count[b] + " with " + n + " copies";
            }
            boolean marked = (nonEmpty[b >>> 6] & (1L << b)) != 0;
            if (marked != (count[b] > 0)) {
                return "bin " + b + " is " + (marked ? "" : "not ") + "marked non-empty with " + count[b] + " entries";
            }
            if (nonEmpty[b >>> 6] != 0) {
                words |= 1L << (b >>> 6);
            }
        }
        if (words != summary) {
            return "summary " + Long.toHexString(summary) + ", expected " + Long.toHexString(words);
        }
        String broken = heaps.checkInvariants();
        return broken != null ? broken : large.checkInvariants();
    }

    /** The elements the heaps' arena can hold (for the memory test). */
    int arenaLength() {
        return heaps.arenaLength();
    }
}
