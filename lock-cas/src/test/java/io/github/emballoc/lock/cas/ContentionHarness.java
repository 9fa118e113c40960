package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.CriticalSection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hammers a critical section from several threads, each entering and exiting it many times and incrementing
 * two plain (non-volatile) fields inside. If the section excludes and orders correctly, both fields end at
 * exactly threads &times; pairs.
 *
 * <p>Every {@value #YIELD_MASK}+1-th increment reads the field, {@linkplain Thread#yield() yields} the
 * processor while inside the section, and only then writes the incremented value back. That does two
 * things: it gives another thread the processor at the worst moment (so a section that lets two threads in
 * loses updates on any machine, even one core), and as a call it stops the JIT from merging the increments
 * of a loop into one addition when the section does nothing. So the same harness reliably fails for a
 * section that does not exclude, which {@code CasSpinLockTest} checks with {@link DoNothingSection} and
 * {@link CheckThenSetSection}.
 *
 * <p>The harness also counts hand-offs (how often the thread inside differs from the one before), so a test
 * can check that the threads really contended rather than ran one after the other.
 */
final class ContentionHarness {

    /** Yield inside the section on every increment whose index has these bits clear. */
    static final int YIELD_MASK = 1023;

    /** Yield outside the section on every increment whose index, masked, equals this. */
    static final int HAND_OVER_POINT = 512;

    private final CriticalSection section;

    // Guarded by section, plain on purpose.
    private long first;
    private long second;
    private int lastContender = -1;
    private long handOffs;

    private ContentionHarness(CriticalSection section) {
        this.section = section;
    }

    /** What a run counted; {@code handOffs} is how often the section passed from one thread to another. */
    record Outcome(String section, int threads, int pairsPerThread, long first, long second, long handOffs) {

        long expected() {
            return (long) threads * pairsPerThread;
        }

        /** Fails unless both fields counted every increment of every thread. */
        void assertExact() {
            assertAll(
                    () -> assertEquals(expected(), first, () -> section + ": " + threads + " threads x "
                            + pairsPerThread + " pairs lost " + (expected() - first) + " updates of the first field"),
                    () -> assertEquals(expected(), second, () -> section + ": " + threads + " threads x "
                            + pairsPerThread + " pairs lost " + (expected() - second)
                            + " updates of the second field"));
        }
    }

    /**
     * Runs {@code threads} threads that each enter and exit {@code section} {@code pairsPerThread} times,
     * all released at once, and waits for them (at most two minutes).
     */
    static Outcome run(CriticalSection section, int threads, int pairsPerThread) throws InterruptedException {
        ContentionHarness harness = new ContentionHarness(section);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int contender = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    harness.hammer(contender, pairsPerThread);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "contender-" + t);
            workers[t].setDaemon(true); // a lock that never lets a waiter in must not keep the JVM alive
            workers[t].start();
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                fail(worker.getName() + " still running after 2 minutes with " + section
                        + " (a waiter that never gets in?)");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a contender failed with " + section, failure.get());
        }
        // join() orders every worker's writes before these reads.
        return new Outcome(String.valueOf(section), threads, pairsPerThread, harness.first, harness.second,
                harness.handOffs);
    }

    private void hammer(int contender, int pairs) {
        for (int i = 1; i <= pairs; i++) {
            section.enter();
            try {
                if (lastContender != contender) {
                    lastContender = contender;
                    handOffs++;
                }
                long seen = first;
                if ((i & YIELD_MASK) == 0) {
                    Thread.yield();
                }
                first = seen + 1;
                second++;
            } finally {
                section.exit();
            }
            if ((i & YIELD_MASK) == HAND_OVER_POINT) {
                Thread.yield(); // outside: a chance for a waiter to get in
            }
        }
    }
}
