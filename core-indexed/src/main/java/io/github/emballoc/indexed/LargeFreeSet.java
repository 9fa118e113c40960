package io.github.emballoc.indexed;

import java.util.Arrays;

/**
 * An ordered set of {@code long} keys over primitive arrays: a treap whose priorities are a fixed hash of the
 * key, so that its shape depends on the set only (no random state) and its depth is O(log n) with high
 * probability for any set. {@link BestFitIndex} keeps its large free entries here as
 * {@code (size << 32) | offset}, so that the smallest key at or above {@code need << 32} is the best fit.
 *
 * <pre>
 * node i: keys[i], left[i], right[i] (-1: none)
 * order:  every key of left[i]'s subtree &lt; keys[i] &lt; every key of right[i]'s subtree
 * heap:   priority(keys[parent]) &gt;= priority(keys[child])
 * unused nodes form a list through left[]; arrays double when every node is in use
 * </pre>
 *
 * Insert, remove and ceiling cost O(depth); removal merges the node's two subtrees. Not thread-safe;
 * allocates only when the number of keys reaches a new high.
 */
final class LargeFreeSet {

    private static final int NONE = -1;

    private long[] keys = new long[0];
    private int[] left = new int[0];
    private int[] right = new int[0];
    private int root = NONE;
    private int size;
    private int unused = NONE;
    private int made;
    private boolean removedOne;

    /** The number of keys. */
    int size() {
        return size;
    }

    /** Adds a key that is not in the set. */
    void insert(long key) {
        int node = newNode(key);
        root = insert(root, node);
        size++;
    }

    private int insert(int t, int node) {
        if (t == NONE) {
            return node;
        }
        if (keys[node] < keys[t]) {
            int child = insert(left[t], node);
            left[t] = child;
            if (priority(keys[child]) > priority(keys[t])) {
                left[t] = right[child];
                right[child] = t;
                return child;
            }
        } else {
            int child = insert(right[t], node);
            right[t] = child;
            if (priority(keys[child]) > priority(keys[t])) {
                right[t] = left[child];
                left[child] = t;
                return child;
            }
        }
        return t;
    }

    /**
     * Removes a key.
     *
     * @return whether it was in the set
     */
    boolean remove(long key) {
        removedOne = false;
        root = remove(root, key);
        if (removedOne) {
            size--;
        }
        return removedOne;
    }

    private int remove(int t, long key) {
        if (t == NONE) {
            return NONE;
        }
        if (key < keys[t]) {
            left[t] = remove(left[t], key);
            return t;
        }
        if (key > keys[t]) {
            right[t] = remove(right[t], key);
            return t;
        }
        int merged = merge(left[t], right[t]);
        left[t] = unused;
        unused = t;
        removedOne = true;
        return merged;
    }

    /** Joins two subtrees whose keys are all smaller in {@code a} than in {@code b}. */
    private int merge(int a, int b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        if (priority(keys[a]) >= priority(keys[b])) {
            right[a] = merge(right[a], b);
            return a;
        }
        left[b] = merge(a, left[b]);
        return b;
    }

    /**
     * Finds the smallest key at or above {@code key}.
     *
     * @return that key, or -1 when there is none (keys are never negative)
     */
    long ceiling(long key) {
        long best = -1;
        int t = root;
        while (t != NONE) {
            long k = keys[t];
            if (k >= key) {
                best = k;
                t = left[t];
            } else {
                t = right[t];
            }
        }
        return best;
    }

    /** Whether the set holds {@code key}. */
    boolean contains(long key) {
        return ceiling(key) == key;
    }

    /** The largest key, or -1 when the set is empty. */
    long last() {
        if (root == NONE) {
            return -1;
        }
        int t = root;
        while (right[t] != NONE) {
            t = right[t];
        }
        return keys[t];
    }

    /** The keys in ascending order (a new array: for checks, not for the hot path). */
    long[] toArray() {
        long[] out = new long[size];
        int[] stack = new int[64];
        int depth = 0;
        int n = 0;
        int t = root;
        while (t != NONE || depth > 0) {
            while (t != NONE) {
                if (depth > made) {
                    return Arrays.copyOf(out, n + 1); // a cycle: reported by checkInvariants
                }
                if (depth == stack.length) {
                    stack = Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = t;
                t = left[t];
            }
            t = stack[--depth];
            if (n == out.length) {
                return Arrays.copyOf(out, n + 1); // more nodes than the count: reported by checkInvariants
            }
            out[n++] = keys[t];
            t = right[t];
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int newNode(long key) {
        int node;
        if (unused != NONE) {
            node = unused;
            unused = left[node];
        } else {
            if (made == keys.length) {
                int grown = Math.max(16, made * 2);
                keys = Arrays.copyOf(keys, grown);
                left = Arrays.copyOf(left, grown);
                right = Arrays.copyOf(right, grown);
            }
            node = made++;
        }
        keys[node] = key;
        left[node] = NONE;
        right[node] = NONE;
        return node;
    }

    /** A fixed hash of the key (a 64-bit mix), so that equal sets make equal trees. */
    static int priority(long key) {
        long z = key * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 32)) * 0xD6E8_FEB8_6659_FD93L;
        return (int) (z ^ (z >>> 32));
    }

    /** Java heap bytes of the arrays. */
    long bytes() {
        return IndexMemory.longs(keys.length) + IndexMemory.ints(left.length) + IndexMemory.ints(right.length);
    }

    /**
     * Checks the order, the heap order of the priorities, the count, and that used and unused nodes add up.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    String checkInvariants() {
        long[] inOrder = toArray();
        if (inOrder.length != size) {
            return "the tree holds " + inOrder.length + " or more keys, the count is " + size;
        }
        for (int i = 1; i < inOrder.length; i++) {
            if (inOrder[i - 1] >= inOrder[i]) {
                return "keys out of order: " + inOrder[i - 1] + " before " + inOrder[i];
            }
        }
        String heap = checkPriorities(root, 0);
        if (heap != null) {
            return heap;
        }
        int free = 0;
        for (int t = unused; t != NONE && free <= made; t = left[t]) {
            free++;
        }
        return free + size == made ? null : free + " unused and " + size + " used nodes, " + made + " made";
    }

    private String checkPriorities(int t, int depth) {
        if (t == NONE) {
            return null;
        }
        if (depth > made) {
            return "a cycle in the tree";
        }
        for (int child : new int[] {left[t], right[t]}) {
            if (child != NONE && priority(keys[child]) > priority(keys[t])) {
                return "key " + keys[child] + " has a higher priority than its parent " + keys[t];
            }
            String below = checkPriorities(child, depth + 1);
            if (below != null) {
                return below;
            }
        }
        return null;
    }
}
