package io.github.emballoc.indexed;

import java.util.Arrays;

/**
 * Many binary min-heaps of {@code int}s (one per bin), all stored in one {@code int[]} arena, so that the memory
 * they take grows only when their total reaches a new high, never because one bin does.
 *
 * <pre>
 * arena[start[b] .. start[b] + capacity[b])   bin b's segment; its heap is the first length[b] elements:
 *                                               arena[start + i] &lt;= arena[start + 2i + 1], arena[start + 2i + 2]
 * bins with a segment form a list in arena order (first, next[], previous[]); end: where the last one ends
 * </pre>
 *
 * A push into a full segment first asks the owner to drop stale elements and duplicates ({@link Liveness}; see
 * {@link BestFitIndex}) when at most half of them can be live (in O(n): claim, keep, release, heapify), and otherwise moves the bin to a segment of twice
 * the size at the end of the arena. When the end is reached, the arena is compacted: every bin drops its stale
 * elements, every segment slides down in order and shrinks to twice its length (at least {@value #MIN_SEGMENT},
 * never more than it had),
 * and a bin with no element gives its segment up; the arena doubles only if less than half again of what is then
 * in use, or less than {@value #MIN_SLACK} elements, would be free (the floor keeps a small arena from compacting
 * every few hundred operations, and changes nothing once 2,048 elements or more are in use). So after a
 * compaction the segments take at most twice the live elements plus {@value #MIN_SEGMENT} per bin in use, and the arena doubles only when that reaches a new high. Moves and
 * compactions are paid for by the pushes that filled the segments since the last one.
 *
 * <p>Not thread-safe; allocates only when the arena doubles.
 */
final class OffsetHeaps {

    /**
     * Decides which elements of a bin are worth keeping when it is compacted: each live value once. A compaction
     * claims every element in turn, keeps those claimed, then releases them.
     */
    interface Liveness {
        /**
         * Whether to keep {@code value} in bin {@code bin}: it is live and was not claimed since the last release.
         *
         * @param value an element
         * @param bin its bin
         * @return whether to keep it
         */
        boolean claim(int value, int bin);

        /**
         * Ends the claim on a value kept.
         *
         * @param value a value {@link #claim} returned {@code true} for
         * @param bin its bin
         */
        void release(int value, int bin);
    }

    static final int MIN_SEGMENT = 8;
    private static final int NONE = -1;
    /** The fewest free elements the arena keeps after a compaction before it doubles instead. */
    static final int MIN_SLACK = 1024;

    private final Liveness liveness;
    private final int[] start;
    private final int[] capacity;
    private final int[] length;
    private final int[] next;
    private final int[] previous;
    private int first = NONE;
    private int last = NONE;
    private int end;
    private int[] arena = new int[0];

    OffsetHeaps(int bins, Liveness liveness) {
        this.liveness = liveness;
        this.start = new int[bins];
        this.capacity = new int[bins];
        this.length = new int[bins];
        this.next = new int[bins];
        this.previous = new int[bins];
    }

    /** The number of elements (live and stale) of bin {@code b}. */
    int length(int b) {
        return length[b];
    }

    /** The smallest element of bin {@code b}, which must not be empty. */
    int top(int b) {
        return arena[start[b]];
    }

    /** The {@code i}th element of bin {@code b} in heap order (for checks). */
    int element(int b, int i) {
        return arena[start[b] + i];
    }

    /** Empties bin {@code b} (its segment stays until the next compaction). */
    void clear(int b) {
        length[b] = 0;
    }

    /**
     * Adds {@code value} to bin {@code b}.
     *
     * @param live how many distinct live elements the bin holds before this one (to decide whether dropping
     *     stale ones makes room)
     */
    void push(int b, int value, int live) {
        int n = length[b];
        if (n == capacity[b]) {
            makeRoom(b, live);
            n = length[b];
        }
        int[] a = arena;
        int base = start[b];
        a[base + n] = value;
        length[b] = n + 1;
        siftUp(a, base, n);
    }

    /** Removes the smallest element of bin {@code b}, which must not be empty. */
    void pop(int b) {
        int[] a = arena;
        int base = start[b];
        int n = length[b] - 1;
        length[b] = n;
        if (n == 0) {
            return;
        }
        a[base] = a[base + n];
        siftDown(a, base, 0, n);
    }

    /**
     * Removes one element equal to {@code value} from bin {@code b} by a scan of its heap, if it holds one: O(length),
     * so the owner calls it only for short bins.
     *
     * @return whether an element was removed
     */
    boolean remove(int b, int value) {
        int[] a = arena;
        int base = start[b];
        int n = length[b];
        for (int i = 0; i < n; i++) {
            if (a[base + i] == value) {
                int last = a[base + n - 1];
                length[b] = --n;
                if (i < n) {
                    a[base + i] = last;
                    if (i > 0 && a[base + ((i - 1) >>> 1)] > last) {
                        siftUp(a, base, i);
                    } else {
                        siftDown(a, base, i, n);
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static void siftUp(int[] a, int base, int i) {
        int value = a[base + i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int above = a[base + parent];
            if (above <= value) {
                break;
            }
            a[base + i] = above;
            i = parent;
        }
        a[base + i] = value;
    }

    private void makeRoom(int b, int live) {
        if (capacity[b] > 0 && live < capacity[b] / 2) {
            compactBin(b);
            if (length[b] < capacity[b]) {
                return;
            }
        }
        int wanted = Math.max(MIN_SEGMENT, capacity[b] * 2);
        if (end + wanted > arena.length) {
            compactArena();
            if (length[b] < capacity[b]) {
                return; // its segment now has room
            }
            if (arena.length - end - wanted < Math.max(end / 2, MIN_SLACK)) {
                // less than half again of what is in use would be free: double, so that compactions stay rare
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, 2 * (end + wanted)));
            }
        }
        System.arraycopy(arena, start[b], arena, end, length[b]);
        unlink(b);
        start[b] = end;
        capacity[b] = wanted;
        end += wanted;
        append(b);
    }

    /** Keeps the live elements of bin {@code b}, each once, as a heap: O(n). */
    private void compactBin(int b) {
        int[] a = arena;
        int base = start[b];
        int n = length[b];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int value = a[base + i];
            if (liveness.claim(value, b)) {
                a[base + kept++] = value;
            }
        }
        for (int i = 0; i < kept; i++) {
            liveness.release(a[base + i], b);
        }
        for (int i = (kept >>> 1) - 1; i >= 0; i--) {
            siftDown(a, base, i, kept);
        }
        length[b] = kept;
    }

    /** Moves {@code a[base + i]} down the min-heap {@code a[base, base + n)} to its place. */
    private static void siftDown(int[] a, int base, int i, int n) {
        int value = a[base + i];
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int c = a[base + child];
            int right = child + 1;
            if (right < n && a[base + right] < c) {
                child = right;
                c = a[base + right];
            }
            if (value <= c) {
                break;
            }
            a[base + i] = c;
            i = child;
        }
        a[base + i] = value;
    }

    /**
     * Drops every bin's stale elements, then slides every segment down in arena order, shrunk to twice its length
     * (never grown); empty bins give theirs up.
     */
    private void compactArena() {
        int to = 0;
        int b = first;
        while (b != NONE) {
            int following = next[b];
            compactBin(b);
            if (length[b] == 0) {
                unlink(b);
                capacity[b] = 0;
                start[b] = 0;
            } else {
                System.arraycopy(arena, start[b], arena, to, length[b]);
                start[b] = to;
                // never larger than it was, so that a segment never lands on one not moved yet
                capacity[b] = Math.min(capacity[b], Math.max(MIN_SEGMENT, length[b] * 2));
                to += capacity[b];
            }
            b = following;
        }
        end = to;
    }

    private void unlink(int b) {
        if (capacity[b] == 0) {
            return; // not in the list
        }
        int p = previous[b];
        int n = next[b];
        if (p == NONE) {
            first = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            last = p;
        } else {
            previous[n] = p;
        }
    }

    private void append(int b) {
        previous[b] = last;
        next[b] = NONE;
        if (last == NONE) {
            first = b;
        } else {
            next[last] = b;
        }
        last = b;
    }

    /** Sorts {@code a[from, from + n)} ascending in place (heapsort: no allocation, O(n log n)). */
    static void sort(int[] a, int from, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDownMax(a, from, i, n);
        }
        for (int last = n - 1; last > 0; last--) {
            int t = a[from];
            a[from] = a[from + last];
            a[from + last] = t;
            siftDownMax(a, from, 0, last);
        }
    }

    private static void siftDownMax(int[] a, int from, int i, int n) {
        int value = a[from + i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && a[from + child + 1] > a[from + child]) {
                child++;
            }
            if (a[from + child] <= value) {
                break;
            }
            a[from + i] = a[from + child];
            i = child;
        }
        a[from + i] = value;
    }

    /** Java heap bytes of the arrays. */
    long bytes() {
        return IndexMemory.ints(arena.length) + 5 * IndexMemory.ints(start.length);
    }

    /** The arena's length in elements (for the memory test). */
    int arenaLength() {
        return arena.length;
    }

    /**
     * Checks the heap order of every bin, that segments lie inside the arena in list order without overlapping,
     * and that lengths fit their segments.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    String checkInvariants() {
        int position = 0;
        int count = 0;
        int before = NONE;
        for (int b = first; b != NONE; b = next[b]) {
            if (++count > start.length) {
                return "a cycle in the segment list";
            }
            if (previous[b] != before) {
                return "bin " + b + " links back to " + previous[b] + ", not " + before;
            }
            if (start[b] < position || start[b] + capacity[b] > end || capacity[b] == 0) {
                return "bin " + b + "'s segment [" + start[b] + ", +" + capacity[b] + ") is out of order or bounds";
            }
            position = start[b] + capacity[b];
            before = b;
        }
        if (before != last || end > arena.length) {
            return "the segment list ends at bin " + before + ", last is " + last;
        }
        for (int b = 0; b < start.length; b++) {
            if (length[b] < 0 || length[b] > capacity[b]) {
                return "bin " + b + " holds " + length[b] + " elements in a segment of " + capacity[b];
            }
            for (int i = 1; i < length[b]; i++) {
                if (arena[start[b] + ((i - 1) >>> 1)] > arena[start[b] + i]) {
                    return "bin " + b + " breaks the heap order at " + i;
                }
            }
        }
        return null;
    }
}
