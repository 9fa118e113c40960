package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.CriticalSection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Threads for the contracts, each bounded in time, so that a broken implementation fails a test instead of hanging it. */
final class Threads {

    private Threads() {
    }

    /** The body of one of several threads, told its number. */
    interface Worker {
        void run(int worker) throws Exception;
    }

    /** A body that may throw anything. */
    interface Body {
        void run() throws Exception;
    }

    /** Two plain fields that the section guards. */
    static final class PlainPair {
        long a;
        long b;
    }

    /** A plain array and a plain flag that one thread publishes to another through the section. */
    static final class Message {
        final int[] values;
        boolean ready;

        Message(int length) {
            values = new int[length];
        }
    }

    /**
     * Runs {@code threads} workers at once (released together) and waits for all of them, failing if one
     * throws or if they are not done within {@code timeoutSeconds}.
     */
    static void runConcurrently(int threads, int timeoutSeconds, Worker worker) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int number = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    worker.run(number);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "emballoc-testkit-worker-" + t);
            thread.setDaemon(true);
            started.add(thread);
            thread.start();
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread thread : started) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            thread.join(Math.max(1, left));
            if (thread.isAlive()) {
                fail(thread.getName() + " did not finish within " + timeoutSeconds + " s: the section deadlocked,"
                        + " or a thread never left it");
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof AssertionError && failures.size() == 1) {
                throw (AssertionError) first;
            }
            AssertionError error = new AssertionError(failures.size() + " thread(s) failed; the first: " + first, first);
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    /** Runs {@code body} in a new thread and rethrows what it throws; fails if it takes longer than the timeout. */
    static void runInFreshThread(String what, int timeoutSeconds, Body body) throws InterruptedException {
        Throwable thrown = inOtherThread(body, timeoutSeconds, what);
        if (thrown instanceof AssertionError) {
            throw (AssertionError) thrown;
        }
        if (thrown != null) {
            throw new AssertionError(what + " threw " + thrown, thrown);
        }
    }

    /** Runs {@code body} in another thread and returns what it threw, or null; fails if it does not return in time. */
    static Throwable inOtherThread(Body body, int timeoutSeconds) throws InterruptedException {
        return inOtherThread(body, timeoutSeconds, "a call from another thread");
    }

    private static Throwable inOtherThread(Body body, int timeoutSeconds, String what) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "emballoc-testkit-other");
        thread.setDaemon(true);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        if (thread.isAlive()) {
            fail(what + " did not return within " + timeoutSeconds + " s (blocked in the section?)");
        }
        return thrown[0];
    }

    /**
     * Starts a thread that enters {@code section} (then leaves it at once), and checks that it does not get
     * in within 100 ms, as the section is held. Call {@link Waiter#assertGetsIn} after releasing it.
     */
    static Waiter assertHeldAgainstOtherThreads(CriticalSection section, String context) throws InterruptedException {
        Waiter waiter = new Waiter(section);
        if (waiter.entered.await(100, TimeUnit.MILLISECONDS)) {
            fail(context + ": another thread entered the section while it was held");
        }
        return waiter;
    }

    /** A thread waiting to enter a held section. */
    static final class Waiter {
        final CountDownLatch entered = new CountDownLatch(1);
        final Thread thread;
        final Throwable[] thrown = new Throwable[1];

        Waiter(CriticalSection section) {
            thread = new Thread(() -> {
                try {
                    section.enter();
                    entered.countDown();
                    section.exit();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            }, "emballoc-testkit-waiter");
            thread.setDaemon(true);
            thread.start();
        }

        /** Checks that the waiting thread got in and out once the section was released. */
        void assertGetsIn(String context) throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive() || thrown[0] != null || entered.getCount() != 0) {
                fail(context + ": a thread waiting for the section did not get in within 10 s of its release"
                        + (thrown[0] == null ? "" : " (it threw " + thrown[0] + ")"));
            }
        }
    }

    /**
     * Checks that nobody holds {@code section}: this thread enters and leaves it, and (when the section admits
     * other threads) so does another thread, within 10 s.
     */
    static void assertFree(CriticalSection section, boolean fromOtherThread, String context)
            throws InterruptedException {
        try {
            section.enter();
        } catch (IllegalStateException e) {
            throw new AssertionError(context + ": the section is still held by this thread: enter() threw " + e, e);
        }
        section.exit();
        if (fromOtherThread) {
            Throwable other = inOtherThread(() -> section.run(() -> { }), 10,
                    context + ": another thread entering the section");
            if (other != null) {
                throw new AssertionError(context + ": another thread could not enter the section: " + other, other);
            }
        }
    }
}
