package io.github.emballoc.testkit;

import io.github.emballoc.api.image.HeaderDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries the rules of the {@link io.github.emballoc.api.image image package} leave after an in-place
 * reallocation, computed from the walk before it: the model that {@code AllocatorContract} holds an allocator
 * that declares {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT} to, written from the rules' text and not from
 * any allocator (the header size and the span rounding come from {@link HeaderDescriptor}, their one home).
 */
final class ImageRules {

    private static final int HEADER = HeaderDescriptor.HEADER_LENGTH;

    private ImageRules() {
    }

    /**
     * Predicts {@code reallocate(handle, size, alignment)} when it stays in place.
     *
     * @param capacity the heap's capacity: a free tail written into its last 4 bytes is never visited
     * @return the entries after it, or {@code null} when the rules make it move (or no used entry holds the
     *     handle)
     */
    static List<Walk.Entry> reallocatedInPlace(Walk walk, int capacity, int handle, int size, int alignment) {
        int i = walk.entryHolding(handle, (long) handle + 1);
        if (i < 0 || !walk.used(i) || handle % alignment != 0) {
            return null;
        }
        int offset = walk.offset(i);
        int entrySize = walk.size(i);
        long need = HeaderDescriptor.spanSize(handle - (offset + HEADER), size);
        boolean nextFree = i + 1 < walk.count() && !walk.used(i + 1);
        List<Walk.Entry> after = new ArrayList<>(walk.entries());
        if (need <= entrySize) {
            long rest = entrySize - need;
            if (rest >= HEADER) {
                long tail = rest - HEADER + (nextFree ? HEADER + walk.size(i + 1) : 0);
                if (nextFree) {
                    after.remove(i + 1);
                }
                after.set(i, new Walk.Entry(offset, true, (int) need));
                addVisited(after, i + 1, new Walk.Entry((int) (offset + HEADER + need), false, (int) tail), capacity);
            }
            return after;
        }
        if (!nextFree) {
            return null;
        }
        long total = (long) entrySize + HEADER + walk.size(i + 1);
        if (total < need) {
            return null;
        }
        after.remove(i + 1);
        if (total - need >= HEADER) {
            after.set(i, new Walk.Entry(offset, true, (int) need));
            addVisited(after, i + 1, new Walk.Entry((int) (offset + HEADER + need), false, (int) (total - need - HEADER)),
                    capacity);
        } else {
            after.set(i, new Walk.Entry(offset, true, (int) total));
        }
        return after;
    }

    /** Adds an entry the walk visits: not the zero-size entry in the last 4 bytes of the heap. */
    private static void addVisited(List<Walk.Entry> entries, int index, Walk.Entry entry, int capacity) {
        if (entry.offset() < capacity - HEADER) {
            entries.add(index, entry);
        }
    }
}
