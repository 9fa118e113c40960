package io.github.emballoc.api;

import java.nio.ByteBuffer;

/**
 * Hands out and takes back blocks of one {@link RawHeap}. A block is named by its <em>handle</em>: the
 * offset of its payload relative to the start of the heap, so that the caller reads and writes it through
 * {@link #heap()} with no object per block.
 *
 * <h2>Promises</h2>
 * <ol>
 *   <li>A block returned by {@code allocate(size, alignment)} has at least {@code size} bytes starting at the
 *       handle, which is a multiple of {@code alignment}; no two live blocks overlap; no block leaves the
 *       heap or overlaps the allocator's own bookkeeping.</li>
 *   <li>The payload bytes of a live block are the caller's: the allocator does not change them until the
 *       block is freed.</li>
 *   <li>A request that cannot be served returns {@link #NULL} (or throws {@link HeapExhaustedException} from
 *       {@link #allocateOrThrow(int, int)}) and changes nothing.</li>
 *   <li>A free that fails ({@link DoubleFreeException}, {@link InvalidFreeException}) changes nothing.</li>
 *   <li>Bad arguments ({@link IllegalArgumentException}) change nothing.</li>
 *   <li>{@code free(NULL)} does nothing, as C's {@code free(NULL)} does, and {@code reallocate(NULL, size)}
 *       allocates, as C's {@code realloc(NULL, size)} does, so that code can pass on what {@code allocate}
 *       returned without testing it.</li>
 * </ol>
 *
 * <p>The allocators of this project follow the image format of emballoc ({@code heap-format.md}) and the
 * rules of the operations it adds ({@link io.github.emballoc.api.image}), including the order of their
 * writes, so that a crash between two writes never loses a block that was live.
 *
 * <h2>Threads</h2>
 * Every operation runs inside the allocator's {@link CriticalSection}, so an allocator may be shared
 * between threads when that section allows it (a CAS spin lock does; a single-core section confines the
 * allocator to one thread). Callbacks ({@link EntryVisitor}) run inside the section and must not call back
 * into the allocator.
 */
public interface Allocator {

    /** The handle that means "no block": returned when an allocation cannot be served. */
    int NULL = -1;

    /**
     * Returns the heap this allocator manages.
     *
     * @return the heap, never {@code null}
     */
    RawHeap heap();

    /**
     * Allocates {@code size} bytes with no alignment beyond the allocator's own. Equivalent to
     * {@code allocate(size, 1)}.
     *
     * @param size the payload size in bytes, 0 or more
     * @return the handle of the block, or {@link #NULL} when no free entry can hold it
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    default int allocate(int size) {
        return allocate(size, 1);
    }

    /**
     * Allocates {@code size} bytes whose first byte lies at a multiple of {@code alignment}.
     * Any non-negative size and power-of-two alignment is valid; a request that can never fit (larger than
     * the heap, or one whose padding overflows) returns {@link #NULL}.
     *
     * @param size the payload size in bytes, 0 or more
     * @param alignment a power of two, 1 or more
     * @return the handle of the block, or {@link #NULL} when no free entry can hold it
     * @throws IllegalArgumentException if {@code size} is negative or {@code alignment} is not a power of two
     *     (the message names the value); the heap is unchanged
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    int allocate(int size, int alignment);

    /**
     * Allocates like {@link #allocate(int)}, but throws instead of returning {@link #NULL}.
     *
     * @param size the payload size in bytes, 0 or more
     * @return the handle of the block
     * @throws HeapExhaustedException if no free entry can hold the request; its message names the request,
     *     the largest free entry and the free bytes in all
     * @throws IllegalArgumentException if {@code size} is negative
     */
    default int allocateOrThrow(int size) {
        return allocateOrThrow(size, 1);
    }

    /**
     * Allocates like {@link #allocate(int, int)}, but throws instead of returning {@link #NULL}.
     *
     * <p>The default implementation takes the figures of the exception from {@link #stats()} after the
     * failed attempt; implementations may take them inside the same critical section.
     *
     * @param size the payload size in bytes, 0 or more
     * @param alignment a power of two, 1 or more
     * @return the handle of the block
     * @throws HeapExhaustedException if no free entry can hold the request; its message names the request,
     *     the largest free entry and the free bytes in all
     * @throws IllegalArgumentException if {@code size} is negative or {@code alignment} is not a power of two
     */
    default int allocateOrThrow(int size, int alignment) {
        int handle = allocate(size, alignment);
        if (handle == NULL) {
            HeapStats stats = stats();
            throw new HeapExhaustedException(size, alignment, stats.largestFree(), stats.freeBytes());
        }
        return handle;
    }

    /**
     * Frees the block that holds {@code handle}. Any offset inside a used block's payload frees that block
     * (a handle may sit inside its block after aligning). {@link #NULL} is accepted and does nothing.
     *
     * @param handle an offset inside the payload of a used block, or {@link #NULL}
     * @throws DoubleFreeException if the offset lies inside a free entry; the heap is unchanged
     * @throws InvalidFreeException if no entry holds the offset; the heap is unchanged
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    void free(int handle);

    /**
     * Returns how many bytes the block that holds {@code handle} can hold from {@code handle} on: the end of its
     * entry's payload minus {@code handle} (at least the size it was allocated with, more when the request was
     * rounded up or over-allocated to align). Like {@code malloc_usable_size}.
     *
     * @param handle an offset inside the payload of a used block
     * @return the usable bytes from {@code handle}, 1 or more
     * @throws DoubleFreeException if the offset lies inside a free entry (refused as {@link #free} refuses it)
     * @throws InvalidFreeException if no entry holds the offset (including {@link #NULL})
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    int usableSize(int handle);

    /**
     * Changes the size of a block, keeping its bytes. Equivalent to {@code reallocate(handle, newSize, 1)}.
     *
     * @param handle an offset inside the payload of a used block, or {@link #NULL} to allocate
     * @param newSize the size the block must hold from its (possibly new) handle, 0 or more
     * @return the block's handle (the same when it was resized in place), or {@link #NULL} when it must move
     *     and no free entry can hold it; the old block is then untouched and still live
     * @throws IllegalArgumentException if {@code newSize} is negative; the heap is unchanged
     * @throws DoubleFreeException if the offset lies inside a free entry; the heap is unchanged
     * @throws InvalidFreeException if no entry holds the offset; the heap is unchanged
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    default int reallocate(int handle, int newSize) {
        return reallocate(handle, newSize, 1);
    }

    /**
     * Changes the size (and alignment) of a block, keeping its bytes: in place when the handle is already
     * aligned and the block can shrink, or grow into a free entry right after it; otherwise by allocating a new
     * block, copying {@code min(newSize, usableSize(handle))} bytes, and freeing the old block (only after the
     * new one holds the data). The exact rules are those of {@link io.github.emballoc.api.image}.
     *
     * @param handle an offset inside the payload of a used block, or {@link #NULL} to allocate
     * @param newSize the size the block must hold from its (possibly new) handle, 0 or more
     * @param alignment a power of two, 1 or more: the returned handle is a multiple of it
     * @return the block's handle (the same when it was resized in place), or {@link #NULL} when it must move
     *     and no free entry can hold it; the old block is then untouched and still live
     * @throws IllegalArgumentException if {@code newSize} is negative or {@code alignment} is not a power of
     *     two; the heap is unchanged
     * @throws DoubleFreeException if the offset lies inside a free entry; the heap is unchanged
     * @throws InvalidFreeException if no entry holds the offset; the heap is unchanged
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    int reallocate(int handle, int newSize, int alignment);

    /**
     * Merges every run of neighbouring free entries into one entry, in one pass (one header write per run), so
     * that the free space left by a {@link Coalescing#FORWARD} allocator is as usable as a
     * {@link Coalescing#BOTH} one's.
     *
     * @return how many entries were merged into a free entry before them (0 when no two free entries are
     *     neighbours)
     * @throws HeapCorruptedException if the image holds a bad header; the allocators of this project check the
     *     image before the first write, so nothing is merged then
     */
    int coalesce();

    /**
     * Returns a bounded view of the block that holds {@code handle}: a {@link ByteBuffer} of
     * {@link #usableSize(int)} bytes from {@code handle}, in the heap's byte order, sharing the heap's bytes
     * (see {@link RawHeap#asByteBuffer(int, int)}). Writing past its end throws instead of overwriting the next
     * header. Makes one buffer object per call; the offset API stays the allocation-free way.
     *
     * <p>The view stays valid as long as the block is live; after the block is freed or moved, the view still
     * reads and writes the same heap bytes, which then belong to someone else.
     *
     * @param handle an offset inside the payload of a used block
     * @return the view, position 0, limit and capacity {@code usableSize(handle)}
     * @throws DoubleFreeException if the offset lies inside a free entry
     * @throws InvalidFreeException if no entry holds the offset
     * @throws UnsupportedOperationException if the heap gives no views
     */
    default ByteBuffer view(int handle) {
        return heap().asByteBuffer(handle, usableSize(handle));
    }

    /**
     * Returns a bounded view of exactly {@code length} bytes from {@code handle} (for example the size the
     * block was allocated with), as {@link #view(int)} does.
     *
     * @param handle an offset inside the payload of a used block
     * @param length the view's size, from 0 to {@link #usableSize(int)}
     * @return the view, position 0, limit and capacity {@code length}
     * @throws IllegalArgumentException if {@code length} is negative or larger than the block's usable size
     *     (the message names both)
     * @throws DoubleFreeException if the offset lies inside a free entry
     * @throws InvalidFreeException if no entry holds the offset
     * @throws UnsupportedOperationException if the heap gives no views
     */
    default ByteBuffer view(int handle, int length) {
        int usable = usableSize(handle);
        if (length < 0 || length > usable) {
            throw new IllegalArgumentException("view of " + length + " bytes at " + handle
                    + " does not fit the block, which holds " + usable + " bytes from there");
        }
        return heap().asByteBuffer(handle, length);
    }

    /**
     * Returns how many operations this allocator has served since it was built. The allocators of this
     * project count inside their critical section, at no measurable cost.
     *
     * <p>The default implementation, for allocators that keep no counts, throws.
     *
     * @return the counts at the time of the call
     * @throws UnsupportedOperationException if this allocator keeps no counts
     */
    default OperationCounts counts() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no operation counts");
    }

    /**
     * Walks the heap and adds up what it holds.
     *
     * @return the statistics at the time of the call
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    HeapStats stats();

    /**
     * Calls {@code visitor} once per entry, in walk order, inside the critical section, making no object
     * per entry.
     *
     * @param visitor receives the entries; must not call back into this allocator
     * @throws HeapCorruptedException if the allocator meets a bad header (entries before it have been
     *     visited)
     * @throws NullPointerException if {@code visitor} is {@code null}
     */
    void walk(EntryVisitor visitor);

    /**
     * Checks the whole image against the rules of the heap format.
     *
     * @throws HeapCorruptedException naming the offset of the first bad header and what is wrong with it
     */
    void verify();
}
