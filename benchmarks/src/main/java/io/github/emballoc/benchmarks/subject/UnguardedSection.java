package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.CriticalSection;

/**
 * A critical section for an allocator used by one thread only, that costs next to nothing: it excludes no one
 * and only keeps the contract's misuse checks (entering while inside, exiting while outside) in one plain
 * field. The single-threaded benchmarks guard this project's allocators with it, so that they measure the
 * allocator and not a lock ({@code UncontendedBenchmark} measures the locks).
 *
 * <p>Unlike the project's {@code SingleCoreCriticalSection} it is not confined to the first thread that enters
 * it: JMH does not promise to run every iteration on the same thread, and a benchmark hands the allocator from
 * its setup thread to its worker.
 *
 * <p>Threads: one thread at a time, handed over safely; it gives no mutual exclusion at all.
 */
public final class UnguardedSection implements CriticalSection {

    private boolean inside;

    /** Makes a section that no thread is inside. */
    public UnguardedSection() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the section is already entered
     */
    @Override
    public void enter() {
        if (inside) {
            throw new IllegalStateException("UnguardedSection entered again while inside");
        }
        inside = true;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the section is not entered
     */
    @Override
    public void exit() {
        if (!inside) {
            throw new IllegalStateException("UnguardedSection exited while not inside");
        }
        inside = false;
    }

    @Override
    public String toString() {
        return "UnguardedSection[" + (inside ? "inside" : "outside") + "]";
    }
}
