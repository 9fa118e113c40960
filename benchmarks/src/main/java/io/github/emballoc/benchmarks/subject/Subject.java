package io.github.emballoc.benchmarks.subject;

/**
 * One allocator under test, seen the same way whatever it is: a fixed number of numbered <em>slots</em>, each
 * empty or holding one live block, so that a benchmark drives this project's allocators and the peers with the
 * same code and the same pre-drawn work, and none of them pays for a handle object it would not need.
 *
 * <p>Every allocator manages exactly one region of {@link #regionBytes()} bytes. An allocation that the
 * allocator cannot serve inside that region counts as failed: it returns {@code false} and leaves the slot
 * empty (peers that would grow instead, as Netty's pool does, are held to the region; see their classes).
 *
 * <p>Threads: a subject built {@link Sharing#CONFINED} is used by one thread at a time; one built
 * {@link Sharing#SHARED} may be used by several threads at once, provided no two threads use the same slot.
 */
public interface Subject extends AutoCloseable {

    /**
     * Allocates {@code size} bytes and keeps the block in {@code slot}.
     *
     * @param slot an empty slot, from 0 to {@code slots - 1}
     * @param size the request in bytes, 1 or more
     * @return {@code true} if the block was allocated, {@code false} if the allocator could not serve it inside
     *     its region (the slot stays empty)
     * @throws ArrayIndexOutOfBoundsException if {@code slot} is out of range
     */
    boolean allocate(int slot, int size);

    /**
     * Frees the block kept in {@code slot}, if there is one; the slot is empty afterwards.
     *
     * @param slot a slot, from 0 to {@code slots - 1}
     * @throws ArrayIndexOutOfBoundsException if {@code slot} is out of range
     */
    void free(int slot);

    /**
     * Allocates {@code sizes[i]} into slot {@code i} for every {@code i} below {@code count}, in order, on a
     * subject on which nothing has been allocated yet; the blocks and the region end up exactly as those
     * {@code count} calls of {@link #allocate(int, int)} would leave them (subjects may get there faster).
     *
     * @param sizes the requests, 1 or more bytes each
     * @param count how many to allocate
     * @return how many of them failed
     */
    default int fill(int[] sizes, int count) {
        int failed = 0;
        for (int i = 0; i < count; i++) {
            if (!allocate(i, sizes[i])) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * Returns the size of the one region the allocator manages.
     *
     * @return the region's size in bytes
     */
    long regionBytes();

    /** Releases the region (frees native memory, unmaps and deletes a mapped file). */
    @Override
    void close();
}
