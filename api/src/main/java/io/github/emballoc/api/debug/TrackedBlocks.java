package io.github.emballoc.api.debug;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.util.Map;
import java.util.TreeMap;

/**
 * The blocks a decorator keeps a record of, by the handle they were handed out with, and the search for the
 * record of the block that holds an offset: the handle itself, an offset inside the block after its handle,
 * or (for an aligned block) an offset in the padding before its handle, which {@code free} accepts too.
 *
 * <p>Not thread-safe: the decorators use it under their lock.
 *
 * @param <T> the record kept per block
 */
final class TrackedBlocks<T extends TrackedBlocks.Block> {

    /** What every record knows: where its block's usable bytes end and a bound on its padding. */
    abstract static class Block {
        /** The offset just past the block's entry payload: {@code handle + usableSize(handle)}. */
        int end;
        /**
         * A bound on the padding before the block's handle: the alignment its entry was allocated with (a
         * reallocation in place keeps the larger of the old and new alignments).
         */
        int alignment;

        Block(int alignment, int end) {
            this.alignment = alignment;
            this.end = end;
        }
    }

    private final TreeMap<Integer, T> byHandle = new TreeMap<>();

    boolean isEmpty() {
        return byHandle.isEmpty();
    }

    int size() {
        return byHandle.size();
    }

    T get(int handle) {
        return byHandle.get(handle);
    }

    void put(int handle, T block) {
        byHandle.put(handle, block);
    }

    T remove(int handle) {
        return byHandle.remove(handle);
    }

    Iterable<Map.Entry<Integer, T>> entries() {
        return byHandle.entrySet();
    }

    /**
     * Finds the recorded block whose entry holds {@code offset}. Costs a map lookup unless {@code offset} lies
     * within an alignment's distance before an aligned recorded block, when it asks the allocator once.
     *
     * @return the block's handle, or {@link Allocator#NULL} when no recorded block holds the offset
     */
    int holding(Allocator allocator, int offset) {
        if (byHandle.containsKey(offset)) {
            return offset;
        }
        Map.Entry<Integer, T> floor = byHandle.floorEntry(offset);
        if (floor != null && offset < floor.getValue().end) {
            return floor.getKey();
        }
        Map.Entry<Integer, T> above = byHandle.higherEntry(offset);
        if (above != null && above.getValue().alignment > HeaderDescriptor.GRANULE
                && above.getKey() - offset < above.getValue().alignment) {
            // maybe in the padding before an aligned handle: same block if the payload ends at the same place
            try {
                if ((long) offset + allocator.usableSize(offset) == above.getValue().end) {
                    return above.getKey();
                }
            } catch (DoubleFreeException | InvalidFreeException e) {
                return Allocator.NULL;
            }
        }
        return Allocator.NULL;
    }
}
