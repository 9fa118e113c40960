package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread that keeps re-entering {@link CasSpinLock} (it leaves and is back a few nanoseconds later, before
 * any waiter can notice) cannot keep another thread out: the waiter gets in promptly, every time.
 *
 * <p>This is the starvation of a plain test-and-test-and-set lock made deterministic. The churner holds the
 * lock for {@value #HOLD_MICROS} &micro;s at a time, so a waiter that only looks at the lock from time to time
 * (a parked waiter looks every 0.13 ms at best) almost never sees the few free nanoseconds between an exit
 * and the churner's next enter, however the threads are scheduled; it needs the lock to be handed to it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StarvationTest {

    private static final long HOLD_MICROS = 100;
    private static final int ATTEMPTS = 5;
    private static final long PATIENCE_MILLIS = 2_000;

    @Test
    void aThreadThatKeepsReEnteringCannotKeepAWaiterOut() throws InterruptedException {
        CasSpinLock lock = new CasSpinLock();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong churns = new AtomicLong();
        Thread churner = new Thread(() -> {
            while (!stop.get()) {
                lock.enter();
                try {
                    long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(HOLD_MICROS);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                } finally {
                    lock.exit();
                }
                churns.lazySet(churns.get() + 1);
            }
        }, "churner");
        churner.setDaemon(true); // a waiter that never gets in must not keep the JVM alive
        StringBuilder report = new StringBuilder();
        long longest = 0;
        try {
            churner.start();
            Thread.sleep(50);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                AtomicBoolean in = new AtomicBoolean();
                Thread waiter = new Thread(() -> lock.run(() -> in.set(true)), "waiter-" + attempt);
                waiter.setDaemon(true);
                long churnsBefore = churns.get();
                long start = System.nanoTime();
                waiter.start();
                waiter.join(PATIENCE_MILLIS);
                long waited = System.nanoTime() - start;
                long overtaken = churns.get() - churnsBefore;
                report.append(String.format("%n  attempt %d: %s after %.1f ms, while the churner entered %,d times",
                        attempt, in.get() ? "in" : "STILL OUT", waited / 1e6, overtaken));
                if (!in.get()) {
                    longest = Long.MAX_VALUE;
                    break;
                }
                longest = Math.max(longest, waited);
                Thread.sleep(20);
            }
        } finally {
            stop.set(true);
        }
        churner.join(TimeUnit.SECONDS.toMillis(30));
        System.out.println("a waiter against a churner:" + report);
        long worst = longest;
        assertTrue(worst <= TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS),
                () -> "a waiter was kept out for more than " + PATIENCE_MILLIS + " ms by a thread that kept"
                        + " re-entering:" + report);
    }
}
