package io.github.emballoc.indexed;

/**
 * A set of {@code int}s from 0 to {@code n - 1}: a bitmap with summary levels, so that the next or previous
 * member of any number is found in O(log64 n) word operations, and adding or removing one costs O(1) (a summary
 * level is touched only when a word turns empty or non-empty).
 *
 * <pre>
 * levels[0]      bit i set &lt;=&gt; i is a member
 * levels[k + 1]  bit j set &lt;=&gt; levels[k][j] != 0
 * the last level has exactly one word
 * </pre>
 *
 * Not thread-safe; allocates nothing after construction.
 */
final class BitTree {

    private final int size;
    private final long[][] levels;

    /**
     * Makes an empty set.
     *
     * @param size the number of possible members, 1 or more
     */
    BitTree(int size) {
        this.size = size;
        int count = 0;
        for (long n = size; ; n = (n + 63) >>> 6) {
            count++;
            if (n <= 64) {
                break;
            }
        }
        this.levels = new long[count][];
        long n = size;
        for (int level = 0; level < count; level++) {
            n = (n + 63) >>> 6;
            levels[level] = new long[(int) n];
        }
    }

    /** The number of possible members. */
    int size() {
        return size;
    }

    /** Whether {@code i} is a member. */
    boolean contains(int i) {
        return (levels[0][i >>> 6] & (1L << i)) != 0;
    }

    /** Whether the set has no member. */
    boolean isEmpty() {
        return levels[levels.length - 1][0] == 0;
    }

    /** Adds {@code i}. */
    void add(int i) {
        int index = i;
        for (long[] level : levels) {
            int j = index >>> 6;
            long old = level[j];
            level[j] = old | (1L << index);
            if (old != 0) {
                return;
            }
            index = j;
        }
    }

    /** Removes {@code i}. */
    void remove(int i) {
        int index = i;
        for (long[] level : levels) {
            int j = index >>> 6;
            long now = level[j] & ~(1L << index);
            level[j] = now;
            if (now != 0) {
                return;
            }
            index = j;
        }
    }

    /** The smallest member, or -1 when the set is empty. */
    int first() {
        int top = levels.length - 1;
        long word = levels[top][0];
        if (word == 0) {
            return -1;
        }
        int i = Long.numberOfTrailingZeros(word);
        for (int level = top - 1; level >= 0; level--) {
            i = (i << 6) | Long.numberOfTrailingZeros(levels[level][i]);
        }
        return i;
    }

    /**
     * Finds the smallest member at or above {@code from}.
     *
     * @param from 0 or more (at or past {@link #size()} gives -1)
     * @return the member, or -1 when there is none
     */
    int next(int from) {
        if (from >= size) {
            return -1;
        }
        int i = from;
        int level = 0;
        while (true) {
            long[] words = levels[level];
            int j = i >>> 6;
            if (j >= words.length) {
                return -1;
            }
            long found = words[j] & (-1L << i);
            if (found != 0) {
                i = (j << 6) | Long.numberOfTrailingZeros(found);
                break;
            }
            if (level == levels.length - 1) {
                return -1;
            }
            i = j + 1;
            level++;
        }
        while (level > 0) {
            level--;
            i = (i << 6) | Long.numberOfTrailingZeros(levels[level][i]);
        }
        return i;
    }

    /**
     * Finds the largest member at or below {@code from}.
     *
     * @param from any number (below 0 gives -1; at or past {@link #size()}, the largest member)
     * @return the member, or -1 when there is none
     */
    int previous(int from) {
        int i = Math.min(from, size - 1);
        int level = 0;
        while (true) {
            if (i < 0) {
                return -1;
            }
            int j = i >>> 6;
            long found = levels[level][j] & (-1L >>> (63 - (i & 63)));
            if (found != 0) {
                i = (j << 6) | (63 - Long.numberOfLeadingZeros(found));
                break;
            }
            if (level == levels.length - 1) {
                return -1;
            }
            i = j - 1;
            level++;
        }
        while (level > 0) {
            level--;
            i = (i << 6) | (63 - Long.numberOfLeadingZeros(levels[level][i]));
        }
        return i;
    }

    /** Java heap bytes of the arrays. */
    long bytes() {
        long total = IndexMemory.references(levels.length);
        for (long[] level : levels) {
            total += IndexMemory.longs(level.length);
        }
        return total;
    }

    /**
     * Checks that every summary bit is set exactly when the word below is not zero, that no bit is set past the
     * last member or in the unused tail of a level, and that the last level is one word.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    String checkInvariants() {
        long n = size;
        for (int level = 0; level < levels.length; level++) {
            long[] words = levels[level];
            for (long i = n; i < (long) words.length * 64; i++) {
                if ((words[(int) (i >>> 6)] & (1L << i)) != 0) {
                    return "level " + level + " bit " + i + " set past the end";
                }
            }
            if (level > 0) {
                long[] below = levels[level - 1];
                for (int i = 0; i < below.length; i++) {
                    boolean marked = (words[i >>> 6] & (1L << i)) != 0;
                    if (marked != (below[i] != 0)) {
                        return "level " + level + " bit " + i + " is " + marked + " but the word below is "
                                + (below[i] != 0 ? "not zero" : "zero");
                    }
                }
            }
            n = words.length;
        }
        return levels[levels.length - 1].length == 1 ? null
                : "the top level has " + levels[levels.length - 1].length + " words";
    }
}
