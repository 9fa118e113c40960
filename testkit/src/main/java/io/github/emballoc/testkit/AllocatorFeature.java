package io.github.emballoc.testkit;

/**
 * Behaviour beyond the {@link io.github.emballoc.api.Allocator} interface's minimum that an implementation
 * may declare in {@link AllocatorContract#features()}. A rule that needs an undeclared feature is skipped,
 * and the skip names the feature; a declared feature is checked, never assumed.
 */
public enum AllocatorFeature {

    /**
     * {@code free(p)} frees the block for any offset {@code p} inside its entry's payload, not only the handle
     * {@code allocate} returned (emballoc's rule: a handle may sit inside its block after aligning).
     */
    FREE_INSIDE_BLOCK,

    /**
     * A zero-size request gets a block of its own: a handle inside the heap, distinct from every other live
     * block's, that {@code free} takes back (emballoc serves it as 4 bytes).
     */
    ZERO_SIZE_FREEABLE,

    /**
     * The heap holds emballoc's image ({@code heap-format.md}): 4-byte headers {@code (size << 1) | used} in
     * the heap's byte order, entries following each other from offset 0 to {@code capacity} or
     * {@code capacity - 4}; a zeroed heap is initialised as one free entry, a heap holding an image is
     * attached to, and a corrupt image is refused with {@link io.github.emballoc.api.HeapCorruptedException}.
     */
    EMBALLOC_IMAGE_FORMAT,

    /**
     * Freeing every block, in any order, gives back the fresh heap's statistics (free neighbours are merged
     * on both sides). emballoc merges forward only, so it does not have this feature: there, only freeing in
     * reverse order of allocation is guaranteed to restore the heap.
     */
    COALESCES_FULLY,

    /**
     * The allocator may be shared between threads: operations from several threads at once keep every
     * promise (as {@code FirstFitAllocator} with a lock that admits several threads does).
     */
    THREAD_SAFE
}
