package io.github.emballoc.api;

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
 * </ol>
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
     * (a handle may sit inside its block after aligning).
     *
     * @param handle an offset inside the payload of a used block
     * @throws DoubleFreeException if the offset lies inside a free entry; the heap is unchanged
     * @throws InvalidFreeException if no entry holds the offset; the heap is unchanged
     * @throws HeapCorruptedException if the allocator meets a bad header
     */
    void free(int handle);

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
