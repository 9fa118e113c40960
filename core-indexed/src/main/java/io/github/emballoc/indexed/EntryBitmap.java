package io.github.emballoc.indexed;

import io.github.emballoc.api.image.HeaderDescriptor;

/**
 * Where the visited entries of a heap start, and which of them are free: two bits per granule (4 heap bytes),
 * with summary levels over the header bits so that the nearest header before or after any granule is found in
 * O(log64 granules) word operations.
 *
 * <pre>
 * granule g = offset / 4; word w = g / 64 covers granules 64w .. 64w + 63 (256 heap bytes, one "range")
 *
 * bits[2w]      header bits: bit (g % 64) set  &lt;=&gt; a visited entry's header is at offset 4g
 * bits[2w + 1]  free bits:   bit (g % 64) set  &lt;=&gt; that entry is free (never set without its header bit)
 *
 * summary[0][w / 64]      bit (w % 64) set &lt;=&gt; bits[2w] != 0
 * summary[k + 1][i / 64]  bit (i % 64) set &lt;=&gt; summary[k][i] != 0
 * the last level has exactly one word
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
    private final long[][] summary;

    /**
     * Makes an empty bitmap for a heap.
     *
     * @param capacity the heap's capacity, a valid one ({@link HeaderDescriptor#isValidCapacity(int)})
     */
    EntryBitmap(int capacity) {
        this.granules = capacity / HeaderDescriptor.GRANULE;
        this.words = (granules + 63) >>> RANGE_SHIFT;
        this.bits = new long[2 * words];
        int levels = 0;
        for (int n = words; ; n = (n + 63) >>> 6) {
            levels++;
            if (n <= 64) {
                break;
            }
        }
        this.summary = new long[levels][];
        int n = words;
        for (int level = 0; level < levels; level++) {
            n = (n + 63) >>> 6;
            summary[level] = new long[n];
        }
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
            mark(w);
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
            unmark(w);
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

    private void mark(int w) {
        int index = w;
        for (long[] level : summary) {
            int j = index >>> 6;
            long old = level[j];
            level[j] = old | (1L << index);
            if (old != 0) {
                return;
            }
            index = j;
        }
    }

    private void unmark(int w) {
        int index = w;
        for (long[] level : summary) {
            int j = index >>> 6;
            long now = level[j] & ~(1L << index);
            level[j] = now;
            if (now != 0) {
                return;
            }
            index = j;
        }
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
        int i = w - 1;
        int level = 0;
        while (true) {
            if (i < 0) {
                return -1;
            }
            int j = i >>> 6;
            long s = summary[level][j] & (-1L >>> (63 - (i & 63)));
            if (s != 0) {
                i = (j << 6) | (63 - Long.numberOfLeadingZeros(s));
                break;
            }
            if (level == summary.length - 1) {
                return -1;
            }
            i = j - 1;
            level++;
        }
        while (level > 0) {
            level--;
            i = (i << 6) | (63 - Long.numberOfLeadingZeros(summary[level][i]));
        }
        return (i << RANGE_SHIFT) | (63 - Long.numberOfLeadingZeros(bits[i << 1]));
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
        int i = w + 1;
        int level = 0;
        while (true) {
            long[] s = summary[level];
            int j = i >>> 6;
            if (j >= s.length) {
                return -1;
            }
            long found = s[j] & (-1L << i);
            if (found != 0) {
                i = (j << 6) | Long.numberOfTrailingZeros(found);
                break;
            }
            if (level == summary.length - 1) {
                return -1;
            }
            i = j + 1;
            level++;
        }
        while (level > 0) {
            level--;
            i = (i << 6) | Long.numberOfTrailingZeros(summary[level][i]);
        }
        return (i << RANGE_SHIFT) | Long.numberOfTrailingZeros(bits[i << 1]);
    }

    /** Java heap bytes of the arrays (16 bytes of header per array, as on a 64-bit JVM with compressed oops). */
    long bytes() {
        long total = IndexMemory.longs(bits.length) + IndexMemory.references(summary.length);
        for (long[] level : summary) {
            total += IndexMemory.longs(level.length);
        }
        return total;
    }

    /**
     * Checks the bitmap's own invariants: no free bit without its header bit, no bit past the last granule,
     * and every summary bit set exactly when the word below is not zero.
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
        }
        int n = words;
        for (int level = 0; level < summary.length; level++) {
            for (int i = 0; i < n; i++) {
                boolean below = level == 0 ? bits[i << 1] != 0 : summary[level - 1][i] != 0;
                boolean marked = (summary[level][i >>> 6] & (1L << i)) != 0;
                if (below != marked) {
                    return "summary level " + level + " bit " + i + " is " + marked + " but the word below is "
                            + (below ? "not zero" : "zero");
                }
            }
            for (int i = n; i < summary[level].length * 64; i++) {
                if ((summary[level][i >>> 6] & (1L << i)) != 0) {
                    return "summary level " + level + " bit " + i + " set past the end";
                }
            }
            n = summary[level].length;
        }
        if (summary[summary.length - 1].length != 1) {
            return "the top summary level has " + summary[summary.length - 1].length + " words";
        }
        return null;
    }
}
