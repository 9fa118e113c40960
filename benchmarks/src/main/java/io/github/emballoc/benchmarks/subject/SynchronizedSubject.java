package io.github.emballoc.benchmarks.subject;

/**
 * A subject whose operations all run in {@code synchronized} on this wrapper: how a Java developer shares an
 * allocator that has no locking of its own between threads.
 *
 * <p>Threads: any; every operation holds the wrapper's monitor.
 */
public final class SynchronizedSubject implements Subject {

    private final Subject inner;

    /**
     * Wraps a subject.
     *
     * @param inner the subject, which only this wrapper may use from now on
     */
    public SynchronizedSubject(Subject inner) {
        this.inner = inner;
    }

    @Override
    public synchronized boolean allocate(int slot, int size) {
        return inner.allocate(slot, size);
    }

    @Override
    public synchronized void free(int slot) {
        inner.free(slot);
    }

    @Override
    public synchronized int fill(int[] sizes, int count) {
        return inner.fill(sizes, count);
    }

    @Override
    public long regionBytes() {
        return inner.regionBytes();
    }

    @Override
    public synchronized void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "synchronized " + inner;
    }
}
