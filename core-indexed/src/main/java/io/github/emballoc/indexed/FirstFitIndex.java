package io.github.emballoc.indexed;

import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.image.HeaderAccess;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;

/**
 * First fit in O(log n): the free entry with the lowest offset whose size is at least the request.
 *
 * <pre>
 * levels[0][r]      the largest free size among the entries whose header lies in range r (heap bytes
 *                   256r .. 256r + 255, one word of the {@link EntryBitmap}); 0 when none
 * levels[k + 1][i]  max(levels[k][16i .. 16i + 15])
 * levels[top]       one element: the largest free entry of the heap
 * </pre>
 *
 * <b>find(n)</b> descends from the root into the first child whose maximum is at least {@code n}: that child's
 * ranges hold an entry that fits, and every child before it holds none, so the range reached is the first that
 * holds one. Its free entries (the range's free word) are sized in order from the bitmap until one fits. Cost:
 * {@code top} levels of at most 16 comparisons, then at most 64 entries.
 *
 * <p><b>added</b> raises a range's maximum and its ancestors' while they are smaller: O(top). <b>removed</b>
 * recomputes a range's maximum from its free entries only when the removed entry held it, then lowers the
 * ancestors that held the old maximum: O(64 + 16 top). Sizes come from the {@link EntryBitmap} (the distance to
 * the next header), which the allocator updates before it calls this index; the image is read only at the
 * header an allocation is about to write.
 *
 * <p>Memory: one {@code int} per range, 4 bytes per 256 heap bytes, plus 1/15 of that for the upper levels.
 */
final class FirstFitIndex extends FreeIndex {

    private static final int FANOUT_SHIFT = 4;
    private static final int FANOUT = 1 << FANOUT_SHIFT;

    private final EntryBitmap bitmap;
    private final HeaderAccess access;
    private final int capacity;
    private final int[][] levels;
    private final int top;

    FirstFitIndex(EntryBitmap bitmap, HeaderAccess access, int capacity) {
        this.bitmap = bitmap;
        this.access = access;
        this.capacity = capacity;
        int count = 1;
        for (int n = bitmap.words(); n > 1; n = (n + FANOUT - 1) >>> FANOUT_SHIFT) {
            count++;
        }
        this.levels = new int[count][];
        int n = bitmap.words();
        for (int level = 0; level < count; level++) {
            // padded to whole nodes of 16 (the padding stays 0), so that every node is 16 children
            levels[level] = new int[level == count - 1 ? 1 : (n + FANOUT - 1) & -FANOUT];
            n = (n + FANOUT - 1) >>> FANOUT_SHIFT;
        }
        this.top = count - 1;
    }

    @Override
    int find(int need) {
        int[][] lv = levels;
        if (lv[top][0] < need) {
            return -1;
        }
        int i = 0;
        for (int level = top - 1; level >= 0; level--) {
            int[] children = lv[level];
            int c = i << FANOUT_SHIFT;
            int end = c + FANOUT;
            while (c < end && children[c] < need) {
                c++;
            }
            if (c == end) {
                long first = ((long) i << (FANOUT_SHIFT * (level + 1))) << EntryBitmap.RANGE_BYTES_SHIFT;
                throw new HeapCorruptedException((int) Math.min(first, capacity - HeaderDescriptor.HEADER_LENGTH),
                        "the first-fit index is inconsistent: level " + (level + 1) + " promises a free entry of "
                                + need + " bytes or more that no range below holds");
            }
            i = c;
        }
        return scan(i, need);
    }

    /**
     * The first free entry of range {@code range} that holds {@code need} bytes, sized from the bitmap; its
     * header, which the allocation is about to write, is read and must agree.
     */
    private int scan(int range, int need) {
        long free = bitmap.freeWord(range);
        while (free != 0) {
            int g = (range << EntryBitmap.RANGE_SHIFT) | Long.numberOfTrailingZeros(free);
            int size = bitmap.sizeAt(g);
            if (size >= need) {
                int offset = g << 2;
                int word = access.getWord(offset);
                if (word != HeaderDescriptor.word(size, false)) {
                    throw HeapImage.corrupt(offset, word, "the index holds a free entry of " + size + " bytes here"
                            + " but the header differs (the image was changed behind the allocator's back)");
                }
                foundSize = size;
                return offset;
            }
            free &= free - 1;
        }
        throw new HeapCorruptedException(range << EntryBitmap.RANGE_BYTES_SHIFT, "the first-fit index is"
                + " inconsistent: it holds a free entry of " + levels[0][range] + " bytes in the 256 bytes from here"
                + " but the bitmap has none of " + need + " bytes or more");
    }

    @Override
    void added(int offset, int size) {
        raise(offset >>> EntryBitmap.RANGE_BYTES_SHIFT, size);
    }

    /** Raises range {@code range}'s maximum to {@code size} if it is smaller, and its ancestors'. */
    private void raise(int range, int size) {
        int[][] lv = levels;
        int i = range;
        if (size <= lv[0][i]) {
            return;
        }
        lv[0][i] = size;
        for (int level = 1; level <= top; level++) {
            i >>>= FANOUT_SHIFT;
            if (size <= lv[level][i]) {
                return;
            }
            lv[level][i] = size;
        }
    }

    @Override
    void removed(int offset, int size) {
        int range = offset >>> EntryBitmap.RANGE_BYTES_SHIFT;
        int old = levels[0][range];
        if (size != old || size == 0) {
            return; // another entry of the range holds the maximum
        }
        int now = rangeMaximum(range);
        if (now > old) {
            raise(range, now); // a free entry of the range already holds a larger size in the image
        } else if (now < old) {
            lower(range, old, now);
        }
    }

    @Override
    void resized(int offset, int oldSize, int newSize) {
        if (newSize >= oldSize) {
            added(offset, newSize);
        } else {
            removed(offset, oldSize); // recomputed from the image, which holds the new size
        }
    }

    /** The largest size among the free entries of a range, sized from the bitmap. */
    private int rangeMaximum(int range) {
        long free = bitmap.freeWord(range);
        int max = 0;
        while (free != 0) {
            int size = bitmap.sizeAt((range << EntryBitmap.RANGE_SHIFT) | Long.numberOfTrailingZeros(free));
            if (size > max) {
                max = size;
            }
            free &= free - 1;
        }
        return max;
    }

    /** Sets range {@code range}'s maximum from {@code old} down to {@code now}, and lowers its ancestors. */
    private void lower(int range, int old, int now) {
        int[][] lv = levels;
        lv[0][range] = now;
        int i = range;
        for (int level = 1; level <= top; level++) {
            int parent = i >>> FANOUT_SHIFT;
            int value = lv[level][parent];
            if (value != old) {
                return; // another child holds a larger maximum
            }
            int max = maximumOfChildren(lv[level - 1], parent);
            if (max == value) {
                return;
            }
            lv[level][parent] = max;
            i = parent;
        }
    }

    private static int maximumOfChildren(int[] children, int parent) {
        int from = parent << FANOUT_SHIFT;
        int max = 0;
        for (int c = 0; c < FANOUT; c++) {
            max = Math.max(max, children[from + c]);
        }
        return max;
    }

    @Override
    int largest() {
        return levels[top][0];
    }

    @Override
    long bytes() {
        long total = IndexMemory.references(levels.length);
        for (int[] level : levels) {
            total += IndexMemory.ints(level.length);
        }
        return total;
    }

    @Override
    void checkAgainst(int[] offsets, int[] sizes, int count) {
        int[] ranges = levels[0];
        int e = 0;
        for (int range = 0; range < ranges.length; range++) {
            int max = 0;
            int holder = -1;
            while (e < count && offsets[e] >>> EntryBitmap.RANGE_BYTES_SHIFT == range) {
                if (sizes[e] > max) {
                    max = sizes[e];
                    holder = offsets[e];
                }
                e++;
            }
            if (ranges[range] != max) {
                int offset = holder >= 0 ? holder : range << EntryBitmap.RANGE_BYTES_SHIFT;
                throw new HeapCorruptedException(offset, "the first-fit index holds " + ranges[range]
                        + " bytes as the largest free entry of the 256 bytes from offset "
                        + (range << EntryBitmap.RANGE_BYTES_SHIFT) + ", the image " + max);
            }
        }
    }

    @Override
    String checkInvariants() {
        for (int level = 1; level <= top; level++) {
            int[] children = levels[level - 1];
            int[] nodes = levels[level];
            if (nodes.length * FANOUT < children.length || (level < top && nodes.length % FANOUT != 0)) {
                return "level " + level + " has " + nodes.length + " nodes for " + children.length + " children";
            }
            for (int i = 0; i < nodes.length; i++) {
                int max = i < children.length / FANOUT ? maximumOfChildren(children, i) : 0;
                if (nodes[i] != max) {
                    return "level " + level + " node " + i + " holds " + nodes[i] + ", its children's maximum is "
                            + max;
                }
            }
        }
        return levels[top].length == 1 ? null : "the top level has " + levels[top].length + " nodes";
    }
}
