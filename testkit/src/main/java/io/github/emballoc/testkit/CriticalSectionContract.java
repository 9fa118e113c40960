package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.CriticalSection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance contract of a {@link CriticalSection}: the guarantees of its documentation, checked as
 * rules {@code C1} to {@code C13}.
 *
 * <pre>{@code
 * class MyLockTest implements CriticalSectionContract {
 *     @Override
 *     public CriticalSection newCriticalSection() {
 *         return new MyLock();
 *     }
 * }
 * }</pre>
 *
 * <p>A section that admits one thread only declares {@link CriticalSectionFeature#CONFINED_TO_ONE_THREAD}:
 * the rules that need a second thread inside or waiting ({@code C1}, {@code C2}, {@code C3}, {@code C12},
 * {@code C13}) are skipped for it, and {@code C11} checks that it refuses other threads instead. No test waits
 * forever: a thread that does not finish in time fails the test.
 */
public interface CriticalSectionContract extends JUnitPlatformGuard {

    /**
     * Makes a new, unentered section, independent of every other. Called on the thread that then uses it
     * first (the test's thread, or a thread of the test's own).
     *
     * @return the section
     */
    CriticalSection newCriticalSection();

    /**
     * Declares the section's optional behaviour. The default declares none: the section admits any thread.
     *
     * @return the features, never {@code null}
     */
    default Set<CriticalSectionFeature> features() {
        return EnumSet.noneOf(CriticalSectionFeature.class);
    }

    private boolean confined() {
        Set<CriticalSectionFeature> features = features();
        return features != null && features.contains(CriticalSectionFeature.CONFINED_TO_ONE_THREAD);
    }

    private void assumeShared() {
        org.junit.jupiter.api.Assumptions.assumeFalse(confined(), "skipped: the section declares "
                + "CriticalSectionFeature.CONFINED_TO_ONE_THREAD (it admits one thread only; C11 checks that)");
    }

    /**
     * Verifies rule C1: at most one thread is inside the section at a time, with four threads contending
     * (and the one inside sometimes yielding its processor, so that an overlap has every chance to show). If
     * this fails, check that {@code enter} waits until it owns the section, with an atomic compare-and-set,
     * not a check followed by a separate write.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C1: one thread at a time is inside, under contention")
    default void c1_mutualExclusion() throws InterruptedException {
        assumeShared();
        CriticalSection section = newCriticalSection();
        AtomicInteger occupancy = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int iterations = 20_000;
        Threads.runConcurrently(4, 60, worker -> {
            for (int i = 0; i < iterations; i++) {
                section.enter();
                try {
                    if (occupancy.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    if ((i & 127) == 0) {
                        Thread.yield();
                    }
                    occupancy.decrementAndGet();
                } finally {
                    section.exit();
                }
            }
        });
        assertEquals(0, overlaps.get(), "times a thread entered while another was inside, in " + 4 * iterations
                + " entries");
    }

    /**
     * Verifies rule C2: plain (non-volatile) fields guarded by the section need nothing else: four threads
     * each make 50,000 read-modify-write updates of a pair of plain fields and no update is lost or torn. If
     * this fails, check that {@code enter} has acquire and {@code exit} release semantics (a volatile or
     * {@code VarHandle} release write to unlock, an acquiring CAS to lock).
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C2: plain fields guarded by the section lose no update")
    default void c2_plainFieldsAreGuarded() throws InterruptedException {
        assumeShared();
        CriticalSection section = newCriticalSection();
        Threads.PlainPair pair = new Threads.PlainPair();
        AtomicInteger torn = new AtomicInteger();
        int iterations = 50_000;
        Threads.runConcurrently(4, 60, worker -> {
            for (int i = 0; i < iterations; i++) {
                section.enter();
                try {
                    long a = pair.a;
                    if (a != pair.b) {
                        torn.incrementAndGet();
                    }
                    pair.a = a + 1;
                    pair.b = a + 1;
                } finally {
                    section.exit();
                }
            }
        });
        section.enter();
        try {
            assertEquals(0, torn.get(), "times a thread saw the pair half-updated");
            assertEquals(4L * iterations, pair.a, "updates of a plain field from four threads (lost updates)");
            assertEquals(pair.a, pair.b, "the second field of the pair");
        } finally {
            section.exit();
        }
    }

    /**
     * Verifies rule C3: what a thread writes before {@code exit} is seen by the next thread to {@code enter}:
     * a writer fills a plain array and sets a plain flag inside the section; a reader that sees the flag
     * inside the section sees every element. If this fails, check the memory ordering of {@code exit} and
     * {@code enter} (release and acquire).
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C3: writes made inside happen-before the next thread's entry")
    default void c3_publication() throws InterruptedException {
        assumeShared();
        CriticalSection section = newCriticalSection();
        for (int round = 0; round < 200; round++) {
            Threads.Message message = new Threads.Message(64);
            int seed = round;
            AtomicReference<String> problem = new AtomicReference<>();
            Threads.runConcurrently(2, 30, worker -> {
                if (worker == 0) {
                    section.enter();
                    try {
                        for (int i = 0; i < message.values.length; i++) {
                            message.values[i] = seed * 1000 + i + 1;
                        }
                        message.ready = true;
                    } finally {
                        section.exit();
                    }
                } else {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (true) {
                        section.enter();
                        try {
                            if (message.ready) {
                                for (int i = 0; i < message.values.length; i++) {
                                    if (message.values[i] != seed * 1000 + i + 1) {
                                        problem.set("element " + i + " is " + message.values[i] + ", expected "
                                                + (seed * 1000 + i + 1));
                                    }
                                }
                                return;
                            }
                        } finally {
                            section.exit();
                        }
                        if (System.nanoTime() > deadline) {
                            problem.set("the reader never saw the flag the writer set inside the section");
                            return;
                        }
                        Thread.onSpinWait();
                    }
                }
            });
            if (problem.get() != null) {
                fail("round " + round + ": " + problem.get());
            }
        }
    }

    /**
     * Verifies rule C4: entering again from the thread already inside throws {@link IllegalStateException}
     * (never a silent deadlock), directly or through {@code run}/{@code call}, and the section stays held
     * until the one matching {@code exit}. If this fails, check that {@code enter} records its owner and
     * compares it with the current thread before waiting.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C4: re-entry from the thread inside throws IllegalStateException")
    default void c4_reentryIsRefused() throws InterruptedException {
        // in a thread of its own, so that a section that deadlocks on re-entry fails the test instead of
        // hanging it (the section is made in that thread too, so that a confined section admits it)
        Threads.runInFreshThread("re-entry", 20, () -> {
            CriticalSection section = newCriticalSection();
            section.enter();
            Throwable reentry = catchThrowable(section::enter);
            assertTrue(reentry instanceof IllegalStateException,
                    "enter() from the thread inside should throw IllegalStateException, got " + reentry);
            assertThrows(IllegalStateException.class, () -> section.run(() -> { }), "run() from the thread inside");
            assertThrows(IllegalStateException.class, () -> section.call(() -> 1), "call() from the thread inside");
            Threads.Waiter waiter = confined() ? null
                    : Threads.assertHeldAgainstOtherThreads(section, "after a refused re-entry");
            section.exit();
            if (waiter != null) {
                waiter.assertGetsIn("after the owner's exit()");
            }
            assertThrows(IllegalStateException.class, section::exit,
                    "exit() after the one matching exit (the refused re-entries must not count as entries)");
            Throwable nested = catchThrowable(() -> section.run(() -> section.run(() -> { })));
            assertTrue(nested instanceof IllegalStateException,
                    "run() nested in run() of the same section should throw IllegalStateException, got " + nested);
            Threads.assertFree(section, !confined(), "after a refused nested run()");
        });
    }

    /**
     * Verifies rule C5: {@code exit} without a matching {@code enter} throws {@link IllegalStateException},
     * on a new section and after a complete enter/exit pair, and leaves the section usable. If this fails,
     * check that {@code exit} checks its caller owns the section before releasing it.
     */
    @Test
    @DisplayName("C5: exit without enter throws IllegalStateException")
    default void c5_unpairedExitIsRefused() {
        CriticalSection section = newCriticalSection();
        assertThrows(IllegalStateException.class, section::exit, "exit() of a new section");
        section.enter();
        section.exit();
        assertThrows(IllegalStateException.class, section::exit, "exit() after enter() and exit()");
        section.enter();
        section.exit();
    }

    /**
     * Verifies rule C6: a thread that is not inside cannot release the section: its {@code exit} throws
     * {@link IllegalStateException}, and the owner still holds the section afterwards. If this fails, check
     * that {@code exit} compares the owner with the current thread, not only that the section is held.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C6: exit from a thread that is not inside throws and releases nothing")
    default void c6_exitByAnotherThreadIsRefused() throws InterruptedException {
        CriticalSection section = newCriticalSection();
        section.enter();
        Threads.Waiter waiter = null;
        try {
            Throwable other = Threads.inOtherThread(section::exit, 10);
            assertTrue(other instanceof IllegalStateException,
                    "exit() from a thread that is not inside should throw IllegalStateException, got " + other);
            if (!confined()) {
                waiter = Threads.assertHeldAgainstOtherThreads(section, "after another thread's refused exit()");
            }
        } finally {
            section.exit();
        }
        if (waiter != null) {
            waiter.assertGetsIn("after the owner's exit()");
        }
        Threads.assertFree(section, !confined(), "after the owner's exit()");
    }

    /**
     * Verifies rule C7: {@code run} and {@code call} leave the section when the action throws (a
     * {@link RuntimeException} or an {@link Error}), rethrow the very same throwable, and {@code call}
     * returns the action's result. If this fails, check for {@code exit} in a {@code finally} block.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C7: run and call release the section when the action throws")
    default void c7_runAndCallReleaseOnThrow() throws InterruptedException {
        CriticalSection section = newCriticalSection();
        Object result = new Object();
        assertSame(result, section.call(() -> result), "call() returns the action's result");
        Threads.assertFree(section, !confined(), "after call()");
        int[] ran = {0};
        section.run(() -> ran[0]++);
        assertEquals(1, ran[0], "run() runs the action once");
        List<Throwable> throwables = List.of(new IllegalArgumentException("thrown by the test action"),
                new AssertionError("thrown by the test action"));
        for (Throwable thrown : throwables) {
            Throwable fromRun = catchThrowable(() -> section.run(() -> sneakyThrow(thrown)));
            assertSame(thrown, fromRun, "run() rethrows the action's own " + thrown.getClass().getSimpleName());
            Threads.assertFree(section, !confined(), "after run() threw " + thrown.getClass().getSimpleName());
            Throwable fromCall = catchThrowable(() -> section.call(() -> {
                sneakyThrow(thrown);
                return null;
            }));
            assertSame(thrown, fromCall, "call() rethrows the action's own " + thrown.getClass().getSimpleName());
            Threads.assertFree(section, !confined(), "after call() threw " + thrown.getClass().getSimpleName());
        }
    }

    /**
     * Verifies rule C8: {@code run(null)} and {@code call(null)} throw {@link NullPointerException} without
     * entering the section. If this fails, check the argument before {@code enter}.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C8: run(null) and call(null) throw NullPointerException without entering")
    default void c8_nullActionsAreRefused() throws InterruptedException {
        CriticalSection section = newCriticalSection();
        assertThrows(NullPointerException.class, () -> section.run(null), "run(null)");
        assertThrows(NullPointerException.class, () -> section.call(null), "call(null)");
        assertThrows(IllegalStateException.class, section::exit,
                "exit() after run(null) and call(null): they must not have entered");
        Threads.assertFree(section, !confined(), "after run(null) and call(null)");
    }

    /**
     * Verifies rule C9: sections are independent: one thread may hold two at once, and (unless confined)
     * another thread enters the second while the first is held. If this fails, check for state shared
     * between instances (a {@code static} lock word or owner).
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C9: two sections are independent")
    default void c9_sectionsAreIndependent() throws InterruptedException {
        CriticalSection first = newCriticalSection();
        CriticalSection second = newCriticalSection();
        first.enter();
        try {
            second.enter();
            second.exit();
            if (!confined()) {
                Throwable other = Threads.inOtherThread(() -> second.run(() -> { }), 10);
                assertEquals(null, other, "another thread entering a second section while the first is held");
            }
        } finally {
            first.exit();
        }
    }

    /**
     * Verifies rule C10: {@code enter} and {@code exit} allocate no objects (an allocator calls them on every
     * operation), measured with the JVM's per-thread allocation counter as less than one byte per pair after
     * a warm-up; skipped where the JVM has no such counter. If this fails, look for a lambda capturing state,
     * a boxed owner id, or an exception or message built on the normal path.
     */
    @Test
    @DisplayName("C10: enter and exit allocate no objects")
    default void c10_enterAndExitAllocateNothing() {
        AllocationMeter meter = AllocationMeter.orSkip();
        CriticalSection section = newCriticalSection();
        for (int i = 0; i < AllocationMeter.WARM_UP; i++) {
            section.enter();
            section.exit();
        }
        int pairs = 100_000;
        long before = meter.allocatedBytes();
        for (int i = 0; i < pairs; i++) {
            section.enter();
            section.exit();
        }
        long allocated = meter.allocatedBytes() - before;
        assertTrue(allocated < pairs, "enter()/exit() allocated " + allocated + " bytes in " + pairs + " pairs");
    }

    /**
     * Verifies rule C11 (feature {@link CriticalSectionFeature#CONFINED_TO_ONE_THREAD}): the section refuses
     * every thread but its own with {@link IllegalStateException}, promptly (never by blocking), whether
     * or not its own thread is inside, and its own thread keeps using it. If this fails, check the thread
     * check at the top of {@code enter} and {@code exit}.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C11: a confined section refuses other threads (CONFINED_TO_ONE_THREAD)")
    default void c11_confinedSectionRefusesOtherThreads() throws InterruptedException {
        Checks.assumeFeature(features(), CriticalSectionFeature.CONFINED_TO_ONE_THREAD, "admits one thread only");
        CriticalSection section = newCriticalSection();
        section.enter();
        section.exit();
        for (int held = 0; held < 2; held++) {
            if (held == 1) {
                section.enter();
            }
            String state = held == 1 ? " while its own thread is inside" : "";
            Throwable enter = Threads.inOtherThread(section::enter, 10);
            assertTrue(enter instanceof IllegalStateException,
                    "enter() from another thread" + state + " should throw IllegalStateException, got " + enter);
            Throwable exit = Threads.inOtherThread(section::exit, 10);
            assertTrue(exit instanceof IllegalStateException,
                    "exit() from another thread" + state + " should throw IllegalStateException, got " + exit);
            Throwable run = Threads.inOtherThread(() -> section.run(() -> { }), 10);
            assertTrue(run instanceof IllegalStateException,
                    "run() from another thread" + state + " should throw IllegalStateException, got " + run);
        }
        section.exit();
        section.enter();
        section.exit();
        assertThrows(IllegalStateException.class, section::exit, "exit() by the owner after its own exit()");
    }

    /**
     * Verifies rule C12: a thread that waits to enter with its interrupt status set (set before it calls
     * {@code enter}, or set while it waits, as {@code ExecutorService.shutdownNow()} does to the threads of a
     * pool) waits without spinning a processor, gets in once the section is released, and comes out of
     * {@code enter} with its interrupt status still set ({@code enter} is not interruptible and must not
     * swallow the interrupt). Measured while the section is held for {@value #WAIT_HOLD_MILLIS} ms: the
     * waiter's state is sampled every millisecond and must be {@code RUNNABLE} in at most
     * {@value #MAX_RUNNABLE_PERCENT}% of the samples, and (where the JVM measures per-thread processor time)
     * it must use at most {@value #MAX_CPU_PERCENT}% of a processor. A waiter that was not interrupted is
     * held to the same limits. If this fails, look for {@code LockSupport.park} or {@code parkNanos} in a
     * loop: they return at once while the interrupt status is set, so the loop spins; clear the status with
     * {@code Thread.interrupted()} before parking and set it again ({@code Thread.currentThread().interrupt()})
     * once in.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C12: an interrupted waiter waits without spinning and keeps its interrupt status")
    default void c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus() throws InterruptedException {
        assumeShared();
        StringBuilder problems = new StringBuilder();
        StringBuilder seen = new StringBuilder();
        for (Waiting.Interrupt interrupt : Waiting.Interrupt.values()) {
            Waiting.Observation waiter = Waiting.watch(newCriticalSection(), interrupt, WAIT_HOLD_MILLIS);
            seen.append("\n  ").append(waiter);
            if (waiter.thrown() != null || !waiter.gotIn()) {
                problems.append("; a waiter interrupted ").append(interrupt).append(waiter.thrown() != null
                        ? " was thrown out of enter(): " + waiter.thrown() : " did not get in within 10 s of the release");
                continue;
            }
            if (waiter.enteredWhileHeld()) {
                problems.append("; a waiter interrupted ").append(interrupt).append(" got in while the section was held");
            }
            if (interrupt != Waiting.Interrupt.NEVER && !waiter.interruptedInside()) {
                problems.append("; a waiter interrupted ").append(interrupt)
                        .append(" came out of enter() with its interrupt status cleared");
            }
            if (waiter.runnableShare() * 100 > MAX_RUNNABLE_PERCENT || waiter.cpuShare() * 100 > MAX_CPU_PERCENT) {
                problems.append("; a waiter interrupted ").append(interrupt).append(" spun while it waited");
            }
        }
        if (problems.length() > 0) {
            fail(problems.substring(2) + seen);
        }
    }

    /**
     * Verifies rule C13: a waiter's back-off is bounded, so waiting threads get in promptly once the section
     * is released, however long it was held: two threads wait while the section is held, and the last of
     * them must be in within {@value #MAX_HAND_OVER_MILLIS} ms of the release. Five rounds hold the section
     * for {@value #HAND_OVER_HOLD_MILLIS} ms up to twice that, spread over that doubling, and their median
     * decides (so that one round on a busy machine does not, and a back-off that doubles without a ceiling
     * cannot hide in a lucky phase). If this fails, look for a park or sleep that grows without bound while
     * the section stays held.
     *
     * @throws InterruptedException if the test is interrupted
     */
    @Test
    @DisplayName("C13: waiters get in promptly after a long hold (the back-off is bounded)")
    default void c13_waitersGetInPromptlyAfterALongHold() throws InterruptedException {
        assumeShared();
        long[] handOvers = new long[5];
        int[] holds = new int[handOvers.length];
        for (int round = 0; round < handOvers.length; round++) {
            holds[round] = (int) Math.round(HAND_OVER_HOLD_MILLIS * Math.pow(2, round / (double) handOvers.length));
            handOvers[round] = Waiting.handOverNanos(newCriticalSection(), 2, holds[round]);
            if (handOvers[round] < 0) {
                fail("round " + round + " (held " + holds[round] + " ms): a waiter did not get in within 10 s of"
                        + " the release, or enter() threw");
            }
        }
        long median = Waiting.median(handOvers);
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < handOvers.length; round++) {
            rounds.append(String.format("%s%.1f ms after a hold of %d ms", round == 0 ? "" : ", ",
                    handOvers[round] / 1e6, holds[round]));
        }
        assertTrue(median <= TimeUnit.MILLISECONDS.toNanos(MAX_HAND_OVER_MILLIS), () -> String.format(
                "waiters got in %.1f ms after the release (median of: %s); at most %d ms expected",
                median / 1e6, rounds, MAX_HAND_OVER_MILLIS));
    }

    /** How long C12 holds the section while a thread waits, in milliseconds. */
    int WAIT_HOLD_MILLIS = 250;

    /** The shortest of the holds of C13 (the longest is twice as long), in milliseconds. */
    int HAND_OVER_HOLD_MILLIS = 150;

    /** The most a waiter may be seen running while it waits (C12), in percent of the samples. */
    int MAX_RUNNABLE_PERCENT = 20;

    /** The most processor time a waiter may use while it waits (C12), in percent of one processor. */
    int MAX_CPU_PERCENT = 25;

    /** How soon after the release waiters must be in (C13), in milliseconds. */
    int MAX_HAND_OVER_MILLIS = 25;

    private static Throwable catchThrowable(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            return t;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
