package io.github.emballoc.api;

import java.util.Objects;

/**
 * An {@link Allocator} that passes every call to another allocator, its {@link #delegate}: the base of
 * decorators, which override the calls they watch or change and inherit the rest. The default methods of
 * {@link Allocator} ({@code allocate(int)}, {@code allocateOrThrow}, {@code reallocate(int, int)},
 * {@code view}) are not forwarded but run here, so that they go through the decorator's own
 * {@code allocate}, {@code reallocate} and {@code usableSize}.
 *
 * <p>Threads: as thread-safe as the delegate, plus whatever a subclass adds; this class keeps no state.
 */
public abstract class ForwardingAllocator implements Allocator {

    /** The allocator every call goes to. */
    protected final Allocator delegate;

    /**
     * Makes a decorator of {@code delegate}.
     *
     * @param delegate the allocator every call goes to
     * @throws NullPointerException if {@code delegate} is {@code null}
     */
    protected ForwardingAllocator(Allocator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public RawHeap heap() {
        return delegate.heap();
    }

    @Override
    public int allocate(int size, int alignment) {
        return delegate.allocate(size, alignment);
    }

    @Override
    public void free(int handle) {
        delegate.free(handle);
    }

    @Override
    public int usableSize(int handle) {
        return delegate.usableSize(handle);
    }

    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        return delegate.reallocate(handle, newSize, alignment);
    }

    @Override
    public int coalesce() {
        return delegate.coalesce();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The delegate's counts: a decorator counts nothing of its own.
     */
    @Override
    public OperationCounts counts() {
        return delegate.counts();
    }

    @Override
    public HeapStats stats() {
        return delegate.stats();
    }

    @Override
    public void walk(EntryVisitor visitor) {
        delegate.walk(visitor);
    }

    @Override
    public void verify() {
        delegate.verify();
    }
}
