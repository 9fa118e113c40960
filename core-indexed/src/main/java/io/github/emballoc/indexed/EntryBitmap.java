package io.github.emballoc.indexed;

import io.github.emballoc.api.image.HeaderDescriptor;

/**
 * Where the visited entries of a heap start, and which of them are free: two bits per granule (4 heap bytes),
 * with a {@link BitTree} over the non-empty header words, so that the nearest header before or after any granule is
 * found in O(log64 granules) word operations.
 *
 * <pre>
 * granule g = offset / 4; word w = g / 64 covers granules 64w .. 64w + 63 (256 heap bytes, one "range")
 *
 * bits[2w]      header bits: bit (g % 64) set  &lt;=&gt; a visited entry's header is at offset 4g
 * bits[2w + 1]  free bits:   bit (g % 64) set  &lt;=&gt; that entry is free (never set without its header bit)
 *
 * words                   a {@link BitTree} of the w whose bits[2w] != 0
 * </pre>
 *
 * The header and free words of a range share a cache line. The never-visited 4-byte entry a split can leave at
 * {@code capacity - 4} is not an entry here: no bit is ever set for it.
 *
 * <p>Not thread-safe: used inside its allocator's critical section. Allocates nothing after construction.
 */
final class EntryBitmap {

    /** Granules per word (and per range): 64, so that a word index is {@code granule >>> 6}. */
    static final int RANGE_SHIFT = 6;
    /** Heap bytes per range: 64 granules of 4 bytes. */
    static final int RANGE_BYTES_SHIFT = RANGE_SHIFT + 2;

    private final int granules;
    private final int words;
    private final long[] bits;
    private final BitTree nonEmpty;
    /** Where the last entry ends: the capacity, or capacity - 4 when the never-visited entry is there. */
    private int end;

    /**
     * Makes an empty bitmap for a heap.
     *
     * @param capacity the heap's capacity, a valid one ({@link HeaderDescriptor#isValidCapacity(int)})
     */
    EntryBitmap(int capacity) {
        this.granules = capacity / HeaderDescriptor.GRANULE;
        this.words = (granules + 63) >>> RANGE_SHIFT;
        this.bits = new long[2 * words];
        this.nonEmpty = new BitTree(words);
        this.end = capacity;
    }

    /** Where the last entry ends: the capacity, or capacity - 4 when the never-visited entry is there. */
    int end() {
        return end;
    }

    /** Records where the last entry ends. */
    void end(int offset) {
        this.end = offset;
    }

    /**
     * The payload size of the entry at granule {@code g}, from the header bits alone: the distance to the next
     * header (or to the end of the last entry), minus the header.
     *
     * @param g a granule holding a header
     * @return the size in bytes
     */
    int sizeAt(int g) {
        int w = g >>> RANGE_SHIFT;
        long after = bits[w << 1] & (-2L << g);
        if (after != 0) {
            return (((w << RANGE_SHIFT) | Long.numberOfTrailingZeros(after)) - g - 1) << 2;
        }
        return sizeToLaterWord(g, w);
    }

    private int sizeToLaterWord(int g, int w) {
        int v = w + 1;
        if (v >= words || bits[v << 1] == 0) {
            v = nonEmpty.next(v);
        }
        int next = v < 0 ? end : ((v << RANGE_SHIFT) | Long.numberOfTrailingZeros(bits[v << 1])) << 2;
        return next - (g << 2) - HeaderDescriptor.HEADER_LENGTH;
    }

    /** The number of header words (ranges of 64 granules). */
    int words() {
        return words;
    }

    /** The number of granules covered. */
    int granules() {
        return granules;
    }

    /** Whether a header is at granule {@code g}. */
    boolean isHeader(int g) {
        return (bits[(g >>> RANGE_SHIFT) << 1] & (1L << g)) != 0;
    }

    /** Whether the entry at granule {@code g} is free (false when there is no header at {@code g}). */
    boolean isFree(int g) {
        return (bits[((g >>> RANGE_SHIFT) << 1) + 1] & (1L << g)) != 0;
    }

    /** The header bits of range {@code w}. */
    long headerWord(int w) {
        return bits[w << 1];
    }

    /** The free bits of range {@code w}. */
    long freeWord(int w) {
        return bits[(w << 1) + 1];
    }

    /** Records an entry header at granule {@code g}, free or used (no header was there). */
    void addEntry(int g, boolean free) {
        int w = g >>> RANGE_SHIFT;
        long bit = 1L << g;
        long old = bits[w << 1];
        bits[w << 1] = old | bit;
        if (free) {
            bits[(w << 1) + 1] |= bit;
        }
        if (old == 0) {
            nonEmpty.add(w);
        }
    }

    /** Forgets the entry at granule {@code g} (its header and free bits). */
    void removeEntry(int g) {
        int w = g >>> RANGE_SHIFT;
        long keep = ~(1L << g);
        long now = bits[w << 1] & keep;
        bits[w << 1] = now;
        bits[(w << 1) + 1] &= keep;
        if (now == 0) {
            nonEmpty.remove(w);
        }
    }

    /** Marks the entry at granule {@code g} free. */
    void setFree(int g) {
        bits[((g >>> RANGE_SHIFT) << 1) + 1] |= 1L << g;
    }

    /** Marks the entry at granule {@code g} used. */
    void clearFree(int g) {
        bits[((g >>> RANGE_SHIFT) << 1) + 1] &= ~(1L << g);
    }

    /**
     * Finds the last header at or before granule {@code g}.
     *
     * @param g a granule, 0 to {@code granules() - 1}
     * @return the granule of that header, or -1 when there is none
     */
    int predecessor(int g) {
        int w = g >>> RANGE_SHIFT;
        long m = bits[w << 1] & (-1L >>> (63 - (g & 63)));
        if (m != 0) {
            return (w << RANGE_SHIFT) | (63 - Long.numberOfLeadingZeros(m));
        }
        int before = nonEmpty.previous(w - 1);
        return before < 0 ? -1 : (before << RANGE_SHIFT) | (63 - Long.numberOfLeadingZeros(bits[before << 1]));
    }

    /**
     * Finds the first header at or after granule {@code g}.
     *
     * @param g a granule, 0 or more (past the end gives -1)
     * @return the granule of that header, or -1 when there is none
     */
    int successor(int g) {
        if (g >= granules) {
            return -1;
        }
        int w = g >>> RANGE_SHIFT;
        long m = bits[w << 1] & (-1L << g);
        if (m != 0) {
            return (w << RANGE_SHIFT) | Long.numberOfTrailingZeros(m);
        }
        int after = nonEmpty.next(w + 1);
        return after < 0 ? -1 : (after << RANGE_SHIFT) | Long.numberOfTrailingZeros(bits[after << 1]);
    }

    /** Java heap bytes of the arrays. */
    long bytes() {
        return IndexMemory.longs(bits.length) + nonEmpty.bytes();
    }

    /**
     * Checks the bitmap's own invariants: no free bit without its header bit, no bit past the last granule, and
     * the set of non-empty header words exact.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    String checkInvariants() {
        for (int w = 0; w < words; w++) {
            long header = bits[w << 1];
            long free = bits[(w << 1) + 1];
            if ((free & ~header) != 0) {
                int g = (w << RANGE_SHIFT) | Long.numberOfTrailingZeros(free & ~header);
                return "free bit without a header bit at offset " + ((long) g << 2);
            }
            int last = granules - (w << RANGE_SHIFT);
            if (last < 64 && (header >>> last) != 0) {
                return "header bit past the last granule in range " + w;
            }
            if (nonEmpty.contains(w) != (header != 0)) {
                return "range " + w + " is " + (header != 0 ? "not " : "") + "empty but marked otherwise";
            }
        }
        return nonEmpty.checkInvariants();
    }
}
