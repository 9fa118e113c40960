package io.github.emballoc.lock.singlecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SingleCoreCriticalSectionTest {

    // Guarded by the section under test, plain on purpose.
    private long counter;

    @Test
    void worksFromOneThread() {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();

        for (int i = 0; i < 100_000; i++) {
            section.enter();
            try {
                counter++;
            } finally {
                section.exit();
            }
        }
        section.run(() -> counter++);
        long seen = section.call(() -> counter);

        assertEquals(100_001L, seen);
        assertEquals("SingleCoreCriticalSection[confined to " + describe(Thread.currentThread()) + ", outside]",
                section.toString());
    }

    @Test
    void aSecondThreadIsRefusedNamingBothThreads() throws Exception {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        Thread owner = Thread.currentThread();
        section.run(() -> counter++);

        Attempt second = onThread("second", section::enter);
        Attempt third = onThread("third", () -> section.run(() -> counter++));

        assertRefused(second.thrown(), owner, second.thread(), "may not enter it");
        assertRefused(third.thrown(), owner, third.thread(), "may not enter it");
        assertEquals(1L, counter, "a refused thread ran its action");
        section.run(() -> counter++); // the owner is unaffected
        assertEquals(2L, counter);
    }

    @Test
    void aSecondThreadIsRefusedWhileTheOwnerIsInsideAndTheOwnerStaysInside() throws Exception {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        Thread owner = Thread.currentThread();
        section.enter();

        Attempt enterer = onThread("enterer", section::enter);
        Attempt exiter = onThread("exiter", section::exit);

        assertRefused(enterer.thrown(), owner, enterer.thread(), "may not enter it");
        assertRefused(exiter.thrown(), owner, exiter.thread(), "may not exit it");
        assertEquals("SingleCoreCriticalSection[confined to " + describe(owner) + ", inside]", section.toString());
        section.exit();
    }

    @Test
    void theOwnerIsTheFirstThreadToEnterNotTheThreadThatMadeIt() throws Exception {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection(); // made here, on the test thread
        Attempt worker = onThread("worker", () -> section.run(() -> counter++));
        assertNull(worker.thrown());

        IllegalStateException e = assertThrows(IllegalStateException.class, section::enter);

        assertRefused(e, worker.thread(), Thread.currentThread(), "may not enter it");
        assertEquals(1L, counter);
    }

    @Test
    void theOwnerStaysTheOwnerAfterItTerminates() throws Exception {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        Attempt first = onThread("first", () -> section.run(() -> counter++));
        assertNull(first.thrown());
        assertFalse(first.thread().isAlive());

        Attempt later = onThread("later", section::enter);

        assertRefused(later.thrown(), first.thread(), later.thread(), "may not enter it");
    }

    @Test
    void aThreadThatSeesTheOwnerInsideButNotYetTheOwnerChangesNothing() throws Exception {
        // The race of a plain-field section, made deterministic: a second thread reads owner before the
        // owner's write reaches it (null) and inside after (true). Here the test gives the second thread that
        // view by clearing owner while it runs, and puts the owner's write back afterwards unless the second
        // thread overwrote it (memory holds the owner's write; only a write of the second thread changes it).
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        Thread owner = Thread.currentThread();
        VarHandle ownerField = MethodHandles.privateLookupIn(SingleCoreCriticalSection.class, MethodHandles.lookup())
                .findVarHandle(SingleCoreCriticalSection.class, "owner", Thread.class);
        section.enter();

        ownerField.set(section, (Thread) null);
        Attempt racer = onThread("racer", section::enter);
        Attempt exiter = onThread("exiter", section::exit);
        ownerField.compareAndSet(section, (Thread) null, owner);

        for (Attempt attempt : List.of(racer, exiter)) {
            assertTrue(attempt.thrown() instanceof IllegalStateException, () -> "expected a refusal: " + attempt);
            String message = attempt.thrown().getMessage();
            assertTrue(message.contains("another thread is inside it (which one is not visible to this thread"
                    + " yet); thread " + describe(attempt.thread()) + " may not "), message);
            assertFalse(message.contains("not reentrant"), message);
        }
        assertSame(owner, ownerField.get(section), "the refused thread overwrote the owner");
        assertEquals("SingleCoreCriticalSection[confined to " + describe(owner) + ", inside]", section.toString());
        section.exit(); // the real owner leaves normally, and can come back
        section.run(() -> counter++);
        assertEquals(1L, counter);
    }

    @Test
    void reentryIsRefusedNamingTheThreadAndTheSectionStaysEntered() {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        section.enter();

        IllegalStateException e = assertThrows(IllegalStateException.class, section::enter);

        assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
        assertTrue(e.getMessage().contains("thread " + describe(Thread.currentThread()) + " is already inside"),
                e.getMessage());
        section.exit(); // still inside after the refusal: exactly one exit is due
        assertThrows(IllegalStateException.class, section::exit);
        section.enter();
        section.exit();
    }

    @Test
    void exitWithoutEnterIsRefused() {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        String me = describe(Thread.currentThread());

        IllegalStateException never = assertThrows(IllegalStateException.class, section::exit);
        section.enter();
        section.exit();
        IllegalStateException twice = assertThrows(IllegalStateException.class, section::exit);

        assertEquals("thread " + me + " cannot exit SingleCoreCriticalSection: no thread has entered it",
                never.getMessage());
        assertEquals("thread " + me + " cannot exit SingleCoreCriticalSection: it is not inside (every exit() must"
                + " follow an enter())", twice.getMessage());
        assertEquals("SingleCoreCriticalSection[confined to " + me + ", outside]", section.toString());
    }

    @Test
    void runAndCallLeaveTheSectionWhenTheActionThrows() {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        IllegalArgumentException boom = new IllegalArgumentException("boom");

        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> section.run(() -> {
            throw boom;
        })));
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> section.call(() -> {
            throw boom;
        })));

        assertTrue(section.toString().endsWith(", outside]"), section::toString);
        assertEquals("again", section.call(() -> "again")); // would be refused as a re-entry if still inside
    }

    @Test
    void runAndCallRefuseNullWithoutEntering() {
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();

        assertThrows(NullPointerException.class, () -> section.run(null));
        assertThrows(NullPointerException.class, () -> section.call(null));

        assertEquals("SingleCoreCriticalSection[not entered yet]", section.toString());
    }

    @Test
    void enterAndExitAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        SingleCoreCriticalSection section = new SingleCoreCriticalSection();
        pairs(section, 20_000); // warm up (and let the counter itself settle)
        threads.getCurrentThreadAllocatedBytes();

        long before = threads.getCurrentThreadAllocatedBytes();
        pairs(section, 200_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // One object per pair would be at least 16 bytes x 200,000; allow only the counter's own noise.
        assertTrue(allocated < 4_096, "200,000 enter/exit pairs allocated " + allocated + " bytes");
    }

    private static void pairs(SingleCoreCriticalSection section, int n) {
        for (int i = 0; i < n; i++) {
            section.enter();
            section.exit();
        }
    }

    private static void assertRefused(Throwable thrown, Thread owner, Thread intruder, String what) {
        assertTrue(thrown instanceof IllegalStateException, () -> "expected IllegalStateException, got " + thrown);
        String message = thrown.getMessage();
        assertTrue(message.contains("confined to thread " + describe(owner) + ", the first to enter it"), message);
        assertTrue(message.contains("thread " + describe(intruder) + " " + what), message);
        assertTrue(message.contains("emballoc-lock-cas"), message);
    }

    /** A thread that ran an action, and what the action threw ({@code null} if nothing). */
    private record Attempt(Thread thread, Throwable thrown) {
    }

    /** Runs {@code action} on a new thread of that name and waits for it. */
    private static Attempt onThread(String name, Executable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                action.execute();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, name);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(thread.isAlive(), name + " did not finish");
        return new Attempt(thread, thrown.get());
    }

    private static String describe(Thread thread) {
        return "'" + thread.getName() + "' (id " + thread.getId() + ")";
    }
}
