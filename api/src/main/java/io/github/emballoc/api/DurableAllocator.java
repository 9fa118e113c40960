package io.github.emballoc.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An {@link Allocator} that makes every operation that changed the heap durable before it returns: it calls
 * {@link RawHeap#force()} on the heap after each {@code allocate}, {@code reallocate}, {@code free} and
 * {@code coalesce} that wrote to it. Over a {@link MappedHeap} this is what survives a power loss or an
 * operating-system crash, not only a crash of the process (which needs no {@code force()}; see
 * {@link MappedHeap}): once such a call has returned, its result is on the storage device.
 *
 * <pre>{@code
 * try (MappedHeap heap = RawHeaps.map(path, 1 << 20)) {
 *     Allocator allocator = DurableAllocator.of(FirstFitAllocator.create(heap));
 *     int block = allocator.allocate(64);   // on disk when allocate returns
 *     heap.putLong(block, 42L);
 *     heap.force();                         // payload bytes are the program's to force
 * }
 * }</pre>
 *
 * <p>What it costs: one {@code msync} of the mapping per changing operation, which waits for the storage
 * device: on ordinary disks milliseconds, thousands of times the cost of the operation itself (the
 * {@code benchmarks} module's {@code DurableAllocatorBenchmark} measures it on the file system you choose). Calls
 * that change nothing are not forced: a failed or refused operation ({@link #NULL}, an exception),
 * {@code free(NULL)}, a {@code coalesce} that merged nothing, and every read
 * ({@code usableSize}, {@code stats}, {@code walk}, {@code verify}, {@code view}). Payload bytes written
 * through the heap or a view are not forced either: call {@code heap().force()} after writing them.
 *
 * <p>Over a heap in memory {@code force()} does nothing, so this wrapper then only adds a call.
 *
 * <p>Threads: as thread-safe as the allocator it wraps. The operation runs in the wrapped allocator's critical
 * section and the force after it, outside; a force writes back everything written before it, so when a call
 * returns, its own writes are durable whatever other threads did meanwhile.
 */
public final class DurableAllocator implements Allocator {

    private final Allocator allocator;
    private final RawHeap heap;

    private DurableAllocator(Allocator allocator) {
        this.allocator = allocator;
        this.heap = allocator.heap();
    }

    /**
     * Wraps an allocator so that every operation that changes its heap is forced before it returns.
     *
     * @param allocator the allocator; it must not be used directly any more, or its changes are not forced
     * @return the durable allocator (the argument itself when it is one already)
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static DurableAllocator of(Allocator allocator) {
        Objects.requireNonNull(allocator, "allocator");
        return allocator instanceof DurableAllocator ? (DurableAllocator) allocator : new DurableAllocator(allocator);
    }

    /**
     * Returns the allocator this one forces after.
     *
     * @return the wrapped allocator
     */
    public Allocator unwrap() {
        return allocator;
    }

    @Override
    public RawHeap heap() {
        return heap;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Forced before it returns when a block was allocated.
     *
     * @throws IllegalStateException if the heap is a closed {@link MappedHeap}
     */
    @Override
    public int allocate(int size, int alignment) {
        int handle = allocator.allocate(size, alignment);
        if (handle != NULL) {
            heap.force();
        }
        return handle;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Forced before it returns.
     *
     * @throws IllegalStateException if the heap is a closed {@link MappedHeap}
     */
    @Override
    public int allocateOrThrow(int size, int alignment) {
        int handle = allocator.allocateOrThrow(size, alignment);
        heap.force();
        return handle;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Forced before it returns, unless {@code handle} is {@link #NULL}.
     *
     * @throws IllegalStateException if the heap is a closed {@link MappedHeap}
     */
    @Override
    public void free(int handle) {
        allocator.free(handle);
        if (handle != NULL) {
            heap.force();
        }
    }

    @Override
    public int usableSize(int handle) {
        return allocator.usableSize(handle);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Forced before it returns when it returned a block (resizing in place to the same entry size writes
     * nothing, and is forced all the same: the wrapper cannot tell).
     *
     * @throws IllegalStateException if the heap is a closed {@link MappedHeap}
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        int result = allocator.reallocate(handle, newSize, alignment);
        if (result != NULL) {
            heap.force();
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Forced before it returns when it merged anything.
     *
     * @throws IllegalStateException if the heap is a closed {@link MappedHeap}
     */
    @Override
    public int coalesce() {
        int merged = allocator.coalesce();
        if (merged > 0) {
            heap.force();
        }
        return merged;
    }

    @Override
    public ByteBuffer view(int handle) {
        return allocator.view(handle);
    }

    @Override
    public ByteBuffer view(int handle, int length) {
        return allocator.view(handle, length);
    }

    @Override
    public OperationCounts counts() {
        return allocator.counts();
    }

    @Override
    public HeapStats stats() {
        return allocator.stats();
    }

    @Override
    public void walk(EntryVisitor visitor) {
        allocator.walk(visitor);
    }

    @Override
    public void verify() {
        allocator.verify();
    }

    @Override
    public String toString() {
        return "DurableAllocator[" + allocator + "]";
    }
}
