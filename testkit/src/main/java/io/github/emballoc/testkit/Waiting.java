package io.github.emballoc.testkit;

import io.github.emballoc.api.CriticalSection;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a thread waits for a held section: whether it spins while it waits (sampled thread states and
 * processor time), what becomes of its interrupt status, and how soon it gets in once the section is
 * released. Used by rules C12 and C13 of {@link CriticalSectionContract}; every wait is bounded in time.
 */
final class Waiting {

    /** When the waiter is interrupted. */
    enum Interrupt {
        /** Never: the waiter to compare with. */
        NEVER,
        /** Before it calls {@code enter()}: its interrupt status is already set when it starts waiting. */
        BEFORE_ENTER,
        /** While it waits, as {@code ExecutorService.shutdownNow()} interrupts the threads of a pool. */
        WHILE_WAITING
    }

    /**
     * What one waiter did while the section was held.
     *
     * @param interrupt when it was interrupted
     * @param samples how often its state was sampled while it waited (after its interrupt, if any)
     * @param runnable how many of those samples found it {@link Thread.State#RUNNABLE}
     * @param cpuNanos the processor time it used over the same stretch, or -1 where the JVM cannot tell
     * @param wallNanos the length of that stretch
     * @param gotIn whether it got in after the release
     * @param enteredWhileHeld whether it got in while the section was still held
     * @param interruptedInside whether its interrupt status was set once it was in
     * @param thrown what {@code enter()} threw, or {@code null}
     */
    record Observation(Interrupt interrupt, int samples, int runnable, long cpuNanos, long wallNanos, boolean gotIn,
                       boolean enteredWhileHeld, boolean interruptedInside, Throwable thrown) {

        double runnableShare() {
            return samples == 0 ? 0 : (double) runnable / samples;
        }

        double cpuShare() {
            return cpuNanos < 0 ? -1 : (double) cpuNanos / wallNanos;
        }

        @Override
        public String toString() {
            return String.format("waiter interrupted %s: RUNNABLE in %d of %d samples (%.0f%%), processor time %s"
                            + " over %.0f ms%s%s", interrupt, runnable, samples, 100 * runnableShare(),
                    cpuNanos < 0 ? "unknown" : String.format("%.1f ms (%.0f%%)", cpuNanos / 1e6, 100 * cpuShare()),
                    wallNanos / 1e6, gotIn ? ", got in, interrupt status " + (interruptedInside ? "set" : "CLEAR")
                            : ", never got in", thrown == null ? "" : ", enter() threw " + thrown);
        }
    }

    private Waiting() {
    }

    /**
     * Holds {@code section} on this thread for {@code holdMillis} while another thread waits to enter it,
     * interrupted as {@code interrupt} says, sampling the waiter's state every millisecond; then releases
     * it and waits (at most 10 s) for the waiter to get in and out.
     */
    static Observation watch(CriticalSection section, Interrupt interrupt, int holdMillis)
            throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        CountDownLatch started = new CountDownLatch(1);
        boolean[] in = new boolean[2]; // [0] got in, [1] interrupt status once in; read after join()
        Throwable[] thrown = new Throwable[1];
        HeldFlag held = new HeldFlag();
        boolean[] enteredWhileHeld = new boolean[1];
        section.enter();
        Thread waiter = new Thread(() -> {
            if (interrupt == Interrupt.BEFORE_ENTER) {
                Thread.currentThread().interrupt();
            }
            started.countDown();
            try {
                section.enter();
            } catch (Throwable e) {
                thrown[0] = e;
                return;
            }
            try {
                enteredWhileHeld[0] = held.value;
                in[0] = true;
                in[1] = Thread.currentThread().isInterrupted();
            } finally {
                section.exit();
            }
        }, "emballoc-testkit-waiter");
        waiter.setDaemon(true);
        int samples = 0;
        int runnable = 0;
        long cpuNanos = -1;
        long wallNanos = 0;
        try {
            waiter.start();
            started.await();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMillis);
            if (interrupt == Interrupt.WHILE_WAITING) {
                Thread.sleep(holdMillis / 5);
                waiter.interrupt();
            }
            long cpuStart = cpu ? threads.getThreadCpuTime(waiter.getId()) : -1;
            long wallStart = System.nanoTime();
            while (System.nanoTime() < deadline && waiter.isAlive()) {
                if (waiter.getState() == Thread.State.RUNNABLE) {
                    runnable++;
                }
                samples++;
                Thread.sleep(1);
            }
            wallNanos = System.nanoTime() - wallStart;
            if (cpu) {
                long cpuEnd = threads.getThreadCpuTime(waiter.getId());
                cpuNanos = cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart;
            }
        } finally {
            held.value = false;
            section.exit();
        }
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        return new Observation(interrupt, samples, runnable, cpuNanos, Math.max(1, wallNanos),
                !waiter.isAlive() && in[0], enteredWhileHeld[0], in[1], thrown[0]);
    }

    /** A flag the holder clears right before it releases the section. */
    private static final class HeldFlag {
        volatile boolean value = true;
    }

    /**
     * Holds {@code section} for {@code holdMillis} while {@code waiters} threads wait to enter it, releases
     * it, and returns how long after the release the last of them got in, in nanoseconds; -1 if one did not
     * get in within 10 s or threw.
     */
    static long handOverNanos(CriticalSection section, int waiters, int holdMillis) throws InterruptedException {
        long[] entered = new long[waiters];
        Thread[] threads = new Thread[waiters];
        boolean[] failed = new boolean[1];
        CountDownLatch started = new CountDownLatch(waiters);
        section.enter();
        long released;
        try {
            for (int w = 0; w < waiters; w++) {
                int slot = w;
                threads[w] = new Thread(() -> {
                    started.countDown();
                    try {
                        section.enter();
                    } catch (Throwable e) {
                        failed[0] = true;
                        return;
                    }
                    try {
                        entered[slot] = System.nanoTime();
                    } finally {
                        section.exit();
                    }
                }, "emballoc-testkit-waiter-" + w);
                threads[w].setDaemon(true);
                threads[w].start();
            }
            started.await();
            Thread.sleep(holdMillis);
        } finally {
            released = System.nanoTime();
            section.exit();
        }
        long last = 0;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                return -1;
            }
        }
        if (failed[0]) {
            return -1;
        }
        for (long time : entered) {
            last = Math.max(last, time - released);
        }
        return last;
    }

    /** The median of {@code values} (the upper one of the middle two for an even count). */
    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
