package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A lock bug tends to hang rather than fail: run each test on its own thread with a deadline.
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CasSpinLockTest {

    private static final int THREADS = 4;
    private static final int PAIRS_PER_THREAD = 1_000_000;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long MIN_HAND_OFFS = 500;

    @Test
    void fourThreadsTimesAMillionPairsCountPlainFieldsExactly() throws InterruptedException {
        ContentionHarness.Outcome outcome = ContentionHarness.run(new CasSpinLock(), THREADS, PAIRS_PER_THREAD);
        System.out.println(outcome);

        assertEquals(4_000_000L, outcome.expected());
        outcome.assertExact();
        // The threads really took turns (the harness yields inside the section every 1024 increments, so
        // every yield that lets a waiter run is a hand-over); otherwise exactness would prove nothing.
        assertTrue(outcome.handOffs() >= MIN_HAND_OFFS, () -> "too little contention to judge: " + outcome);
    }

    @Test
    void theSameHarnessCatchesASectionThatDoesNotExclude() throws InterruptedException {
        ContentionHarness.Outcome outcome = ContentionHarness.run(new DoNothingSection(), THREADS, PAIRS_PER_THREAD);
        System.out.println(outcome);

        assertThrows(AssertionError.class, outcome::assertExact,
                () -> "the harness did not notice that DoNothingSection lets threads in together: " + outcome);
        assertTrue(outcome.first() < outcome.expected(), () -> "lost updates expected: " + outcome);
    }

    @Test
    void theSameHarnessCatchesALockWithoutAnAtomicAcquire() throws InterruptedException {
        ContentionHarness.Outcome outcome =
                ContentionHarness.run(new CheckThenSetSection(), THREADS, PAIRS_PER_THREAD);
        System.out.println(outcome);

        assertThrows(AssertionError.class, outcome::assertExact,
                () -> "the harness did not notice that CheckThenSetSection lets two threads in: " + outcome);
    }

    @Test
    void enteringAgainFromTheHolderIsRefusedNamingItAndTheLockStaysHeld() throws Exception {
        CasSpinLock lock = new CasSpinLock();
        Thread me = Thread.currentThread();
        lock.enter();

        IllegalStateException e = assertThrows(IllegalStateException.class, lock::enter);

        assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
        assertTrue(e.getMessage().contains(describe(me)), e.getMessage());
        assertEquals("CasSpinLock[held by " + describe(me) + "]", lock.toString());
        AtomicBoolean otherGotIn = new AtomicBoolean();
        Thread other = new Thread(() -> lock.run(() -> otherGotIn.set(true)), "other");
        other.setDaemon(true);
        other.start();
        other.join(100);
        assertFalse(otherGotIn.get(), "another thread got in while the refused re-entry left the lock held");
        lock.exit();
        other.join(PATIENCE.toMillis());
        assertTrue(otherGotIn.get(), "the other thread never got in after exit()");
        assertEquals("CasSpinLock[free]", lock.toString());
    }

    @Test
    void exitWithoutEnterIsRefusedSayingNoThreadHoldsIt() {
        CasSpinLock lock = new CasSpinLock();

        IllegalStateException e = assertThrows(IllegalStateException.class, lock::exit);

        assertTrue(e.getMessage().contains("thread " + describe(Thread.currentThread()) + " cannot exit"),
                e.getMessage());
        assertTrue(e.getMessage().contains("it is not held by any thread"), e.getMessage());
        assertEquals("CasSpinLock[free]", lock.toString());
        lock.enter(); // still usable
        lock.exit();
    }

    @Test
    void exitFromAThreadThatDoesNotHoldItIsRefusedNamingTheHolder() throws Exception {
        CasSpinLock lock = new CasSpinLock();
        Thread holder = Thread.currentThread();
        lock.enter();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread intruder = new Thread(() -> {
            try {
                lock.exit();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "intruder");

        intruder.start();
        intruder.join(PATIENCE.toMillis());

        Throwable e = thrown.get();
        assertTrue(e instanceof IllegalStateException, () -> "expected IllegalStateException, got " + e);
        assertTrue(e.getMessage().contains("thread " + describe(intruder) + " cannot exit CasSpinLock"),
                e.getMessage());
        assertTrue(e.getMessage().contains("it is held by thread " + describe(holder)), e.getMessage());
        assertEquals("CasSpinLock[held by " + describe(holder) + "]", lock.toString());
        lock.exit();
        assertEquals("CasSpinLock[free]", lock.toString());
    }

    @Test
    void aWaiterBacksOffToParkingWhileTheHolderStaysInside() throws Exception {
        CasSpinLock lock = new CasSpinLock();
        AtomicBoolean waiterGotIn = new AtomicBoolean();
        lock.enter();
        Thread waiter = new Thread(() -> lock.run(() -> waiterGotIn.set(true)), "waiter");
        waiter.setDaemon(true);
        waiter.start();
        try {
            // After SPIN_TRIES spins and YIELD_TRIES yields the waiter parks, so it is mostly TIMED_WAITING.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean sawParked = false;
            while (!sawParked && System.nanoTime() < deadline) {
                sawParked = waiter.getState() == Thread.State.TIMED_WAITING;
                Thread.onSpinWait();
            }
            assertTrue(sawParked, "the waiter never parked while the lock was held (state " + waiter.getState() + ")");
            assertFalse(waiterGotIn.get(), "the waiter got in while the lock was held");
        } finally {
            lock.exit();
        }
        waiter.join(PATIENCE.toMillis());
        assertTrue(waiterGotIn.get(), "the parked waiter never got in after exit()");
    }

    @Test
    void aWaiterNeverParksLongerThanTheDocumentedBound(@TempDir Path work) throws Exception {
        // Every park the JVM makes is recorded (JFR's jdk.ThreadPark with no threshold), with its timeout.
        List<RecordedEvent> parks;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO);
            recording.start();
            CasSpinLock lock = new CasSpinLock();
            lock.enter();
            Thread waiter = new Thread(() -> lock.run(() -> { }), "park-bound-waiter");
            try {
                waiter.start();
                Thread.sleep(200); // far longer than the back-off needs to reach its ceiling
            } finally {
                lock.exit();
            }
            waiter.join(PATIENCE.toMillis());
            recording.stop();
            Path file = work.resolve("parks.jfr");
            recording.dump(file);
            parks = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.ThreadPark"))
                    .filter(e -> e.getThread() != null && "park-bound-waiter".equals(e.getThread().getJavaName()))
                    .collect(Collectors.toList());
        }
        long longest = parks.stream().mapToLong(e -> e.getDuration("timeout").toNanos()).max().orElse(0);

        assertTrue(parks.size() >= 20, "too few parks recorded to judge: " + parks.size());
        assertTrue(longest <= CasSpinLock.MAX_PARK_NANOS, "the waiter parked for up to " + longest
                + " ns at a time; the javadoc promises at most " + CasSpinLock.MAX_PARK_NANOS + " ns");
        assertEquals(CasSpinLock.MAX_PARK_NANOS, longest, "the back-off never reached its ceiling in 200 ms");
    }

    @Test
    void waitersThatQueuedGetInInTheOrderTheyQueued() throws Exception {
        CasSpinLock lock = new CasSpinLock();
        int waiters = 4;
        List<Integer> order = new java.util.ArrayList<>(); // guarded by lock
        Thread[] threads = new Thread[waiters];
        lock.enter();
        try {
            for (int w = 0; w < waiters; w++) {
                int me = w;
                threads[w] = new Thread(() -> lock.run(() -> order.add(me)), "queued-" + w);
                threads[w].setDaemon(true);
                threads[w].start();
                // A waiter parks only once it holds a ticket: wait for that before starting the next one.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (threads[w].getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(Thread.State.TIMED_WAITING, threads[w].getState(), "queued-" + w + " never parked");
            }
        } finally {
            lock.exit();
        }
        for (Thread thread : threads) {
            thread.join(PATIENCE.toMillis());
        }

        assertEquals(List.of(0, 1, 2, 3), lock.call(() -> List.copyOf(order)));
    }

    @Test
    void runAndCallLeaveTheLockWhenTheActionThrows() {
        CasSpinLock lock = new CasSpinLock();
        IllegalArgumentException boom = new IllegalArgumentException("boom");

        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> lock.run(() -> {
            throw boom;
        })));
        assertEquals("CasSpinLock[free]", lock.toString());
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> lock.call(() -> {
            throw boom;
        })));
        assertEquals("CasSpinLock[free]", lock.toString());

        // Another thread (the timeout's) gets in, so the lock really was released.
        assertEquals("in", assertTimeoutPreemptively(PATIENCE, () -> lock.call(() -> "in")));
        assertEquals(42, lock.call(() -> 42));
    }

    @Test
    void runAndCallRefuseNullWithoutEntering() {
        CasSpinLock lock = new CasSpinLock();

        assertThrows(NullPointerException.class, () -> lock.run(null));
        assertThrows(NullPointerException.class, () -> lock.call(null));

        assertEquals("CasSpinLock[free]", lock.toString());
    }

    @Test
    void enterAndExitAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        CasSpinLock lock = new CasSpinLock();
        pairs(lock, 20_000); // warm up (and let the counter itself settle)
        threads.getCurrentThreadAllocatedBytes();

        long before = threads.getCurrentThreadAllocatedBytes();
        pairs(lock, 200_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // One object per pair would be at least 16 bytes x 200,000; allow only the counter's own noise.
        assertTrue(allocated < 4_096, "200,000 enter/exit pairs allocated " + allocated + " bytes");
    }

    @Test
    void locksAreIndependent() {
        CasSpinLock a = new CasSpinLock();
        CasSpinLock b = new CasSpinLock();

        a.enter();
        b.enter(); // not a re-entry: a different lock
        assertEquals("CasSpinLock[held by " + describe(Thread.currentThread()) + "]", b.toString());
        a.exit();
        assertEquals("CasSpinLock[free]", a.toString());
        b.exit();
        assertEquals("CasSpinLock[free]", b.toString());
    }

    private static void pairs(CasSpinLock lock, int n) {
        for (int i = 0; i < n; i++) {
            lock.enter();
            lock.exit();
        }
    }

    private static String describe(Thread thread) {
        return "'" + thread.getName() + "' (id " + thread.getId() + ")";
    }
}
