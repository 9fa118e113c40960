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
     * Free neighbours are merged on both sides: on a heap the allocator built, no two visited free entries are
     * ever neighbours after an operation, so freeing every block, in any order, leaves one free entry: the fresh
     * heap's ({@link io.github.emballoc.api.Coalescing#BOTH}; with emballoc's image that entry is 4 bytes short
     * once a split has left the never-visited zero-size entry in the last 4 bytes, which no operation reclaims).
     * emballoc merges forward only
     * ({@link io.github.emballoc.api.Coalescing#FORWARD}), so it does not have this feature: there, only
     * freeing in reverse order of allocation is guaranteed to restore the heap (or a call of
     * {@link io.github.emballoc.api.Allocator#coalesce()}).
     */
    COALESCES_FULLY,

    /**
     * The allocator may be shared between threads: operations from several threads at once keep every
     * promise (as {@code FirstFitAllocator} with a lock that admits several threads does).
     */
    THREAD_SAFE,

    /**
     * {@link io.github.emballoc.api.Allocator#view(int)} and {@link io.github.emballoc.api.Allocator#view(int, int)}
     * give bounded {@link java.nio.ByteBuffer} views of a block: of exactly its usable (or the asked) size,
     * sharing the heap's bytes, so that a write past the end throws. The standard heaps give views; a user's heap
     * may not ({@link io.github.emballoc.api.RawHeap#asByteBuffer(int, int)} then throws), and then the
     * allocator does not have this feature.
     */
    BOUNDED_VIEWS,

    /**
     * {@link io.github.emballoc.api.Allocator#counts()} counts the operations served, as
     * {@link io.github.emballoc.api.OperationCounts} defines them (the allocators of this project do).
     */
    OPERATION_COUNTS
}
