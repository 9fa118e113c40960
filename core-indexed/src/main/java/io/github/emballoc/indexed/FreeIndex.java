package io.github.emballoc.indexed;

import io.github.emballoc.api.HeapCorruptedException;

/**
 * The part of the index that chooses a free entry for a request, by one fit: {@link FirstFitIndex} (the free
 * entry with the lowest offset that holds the request) or {@link BestFitIndex} (the smallest such entry, the
 * lowest offset among equals). Exactly the entries the {@link EntryBitmap} marks free, with the sizes their
 * headers hold, are in it; zero-size free entries, which no request fits, may be left out.
 *
 * <p>The allocator tells it of every change after the image and the bitmap show it: {@link #added} when a free
 * entry appears, {@link #removed} when one disappears (allocated or merged into a neighbour), {@link #resized}
 * when one grows in place. Not thread-safe: used inside the allocator's critical section; allocates nothing
 * except when a structure grows to a new high.
 */
abstract class FreeIndex {

    /** The size of the entry the last successful {@link #find} returned. */
    int foundSize;

    /**
     * Chooses the free entry for a request, without taking it.
     *
     * @param need the payload size the entry must hold, a multiple of 4, at least 4
     * @return the header offset of the entry (its size in {@link #foundSize}), or -1 when no free entry holds
     *     {@code need} bytes
     * @throws HeapCorruptedException if the image no longer agrees with the index there (it was changed behind
     *     the allocator's back); nothing has been written
     */
    abstract int find(int need);

    /** A free entry of {@code size} bytes appeared at header offset {@code offset}. */
    abstract void added(int offset, int size);

    /** The free entry of {@code size} bytes at header offset {@code offset} is gone (used, or merged away). */
    abstract void removed(int offset, int size);

    /** The free entry at header offset {@code offset} grew in place from {@code oldSize} to {@code newSize}. */
    abstract void resized(int offset, int oldSize, int newSize);

    /** The size of the largest free entry, 0 when there is none. */
    abstract int largest();

    /** Java heap bytes of the structure's arrays. */
    abstract long bytes();

    /**
     * Compares the structure with the free entries of the image, which the caller collected from one checked walk
     * in walk order.
     *
     * @param offsets the header offsets of the free entries, ascending
     * @param sizes their sizes
     * @param count how many there are
     * @throws HeapCorruptedException naming the offset of the first free entry the structure does not hold as it
     *     is, or of the first entry it holds that the image does not
     */
    abstract void checkAgainst(int[] offsets, int[] sizes, int count);

    /**
     * Checks the structure's own invariants, independent of the image.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    abstract String checkInvariants();
}
