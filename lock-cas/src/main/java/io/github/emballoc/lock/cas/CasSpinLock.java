package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A test-and-test-and-set spin lock on a {@link VarHandle}: the JVM counterpart of the spin lock emballoc
 * guards its heap with. It suits critical sections that last nanoseconds to a few microseconds, such as one
 * allocation or one free.
 *
 * <h2>Assumptions (what callers promise)</h2>
 * <ol>
 *   <li>Every {@link #enter()} that returns is followed by exactly one {@link #exit()} on the same thread,
 *       normally in a {@code try/finally} (or through {@link #run(Runnable)} and
 *       {@link #call(java.util.function.Supplier)}, which do that for you).</li>
 *   <li>The code inside the section does not enter this lock again (it is not reentrant), and it is short:
 *       a waiter burns processor time, or at best yields it, for as long as the holder stays inside.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ol>
 *   <li>Mutual exclusion: at most one thread is between a returning {@code enter()} and its {@code exit()}
 *       at any time.</li>
 *   <li>Ordering: {@code exit()} is a release and a successful {@code enter()} an acquire of the same
 *       variable, so everything a thread did before {@code exit()} happens-before everything the next
 *       thread to enter does after {@code enter()} returns. Fields guarded by the lock may be plain
 *       (non-{@code volatile}).</li>
 *   <li>Misuse is refused, never turned into a deadlock or a silent unlock: {@code enter()} from the thread
 *       that holds the lock, and {@code exit()} from a thread that does not hold it, throw
 *       {@link IllegalStateException} naming the thread that holds it (or saying that none does); the lock is
 *       left as it was (still held by its holder).</li>
 *   <li>Progress on few cores: a waiter spins with {@link Thread#onSpinWait()} for a bounded number of
 *       tries, then {@link Thread#yield() yields}, then parks for short, bounded intervals (doubling from
 *       1&nbsp;&micro;s, capped at 131,072&nbsp;ns, about 0.13&nbsp;ms) between tries, so that on a machine with
 *       fewer cores than runnable threads a waiter never keeps the holder off the processor.</li>
 *   <li>{@code enter()} and {@code exit()} allocate no objects unless they throw.</li>
 * </ol>
 * It does <em>not</em> guarantee fairness (a thread that just left may enter again ahead of one that has
 * waited; under sustained contention a waiter can in principle wait indefinitely), nor respond to
 * interruption: {@code enter()} keeps waiting, parking as any waiter does (it clears the interrupt status to
 * park, since a park returns at once while it is set), and returns with the interrupt status set again.
 *
 * <h2>Threads</h2>
 * Any thread may call {@code enter()}, {@code run} and {@code call}; only the thread that holds the lock may
 * call {@code exit()}. {@link #toString()} may be called from any thread and gives a snapshot that may be
 * stale by the time it is read.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * CasSpinLock lock = new CasSpinLock();
 * long allocated;                 // plain field, guarded by lock
 *
 * lock.enter();
 * try {
 *     allocated += size;
 * } finally {
 *     lock.exit();
 * }
 * }</pre>
 * Usually the lock is not made directly but chosen through
 * {@link io.github.emballoc.api.CriticalSections#create()}, with {@link CasProvider} (name
 * {@value CasProvider#NAME}) on the class path or module path.
 */
public final class CasSpinLock implements CriticalSection {

    /*
     * Design.
     *
     * state is 0 (FREE) or 1 (HELD). enter() tries one acquiring CAS FREE -> HELD (the uncontended path:
     * one CAS, no loop, and no read of the line before it: a read first would fetch the line shared and
     * the CAS then fetch it again exclusive, two misses instead of one whenever another core wrote it last).
     * If that fails it checks for re-entry (below), then waits by reading state (opaque: a plain load the JIT may not hoist
     * out of the loop) until it looks FREE, and only then retries the CAS. Waiting on a read keeps the cache
     * line shared among waiters instead of bouncing it with a write per try (test-and-test-and-set). A weak
     * CAS is enough: a spurious failure only costs one more trip round the wait loop.
     *
     * Back-off. Each unsuccessful look at state counts one try: the first SPIN_TRIES tries call
     * Thread.onSpinWait() (PAUSE on x86, which also frees the pipeline for a hyper-thread sibling); the next
     * YIELD_TRIES call Thread.yield(); after that each try parks for parkNanos, doubling from
     * FIRST_PARK_NANOS (1 us) and capped at MAX_PARK_NANOS (131,072 ns: the doubling stops there, it does
     * not overshoot to the next power). The count is not reset by a lost CAS race, so a thread that keeps losing backs off
     * further. The bound on the park keeps the hand-over latency after a long hold to about 0.13 ms, while
     * parking (rather than spinning) lets a descheduled holder run on a 2-core machine where more threads
     * than cores want the lock. None of this allocates: onSpinWait, yield and parkNanos(long) take no
     * objects.
     *
     * Owner. The holder writes itself into owner right after its CAS succeeds and clears it right before
     * the releasing store, so owner is only ever written by the thread holding the lock. It is read with
     * opaque loads by any thread, but the decisions taken on it are exact for the thread that reads:
     * a thread T reads owner == T only if T holds the lock, because T's own last write (T when it entered,
     * null when it left) is ordered before its read by program order, and every other thread writes only
     * itself or null. Re-entry is checked only after the first CAS fails, which it always does for the
     * holder (only the holder can write FREE), so the check costs nothing on the uncontended path. Only the *name* in an error message can be stale (another thread's owner field may be
     * read mid-change); in the window between a CAS and the owner store, the message says the lock is held
     * by a thread that is entering or leaving it.
     *
     * The two fields share a cache line on purpose: the holder touches one line, and waiters (which read
     * only state) make it fetch that line back once per exit, as they would if the line held state alone.
     * Padding owner onto a line of its own would add a second line to every enter and exit.
     */

    /** The first park of a waiter, in nanoseconds; each further park is twice as long, up to the ceiling. */
    static final long FIRST_PARK_NANOS = 1_000L;

    /** The longest a waiter parks between two looks at the lock, in nanoseconds (about 0.13 ms). */
    static final long MAX_PARK_NANOS = 131_072L;

    /** Tries spent with {@link Thread#onSpinWait()} before yielding. */
    static final int SPIN_TRIES = 128;

    /** Tries spent with {@link Thread#yield()} after spinning, before parking. */
    static final int YIELD_TRIES = 64;

    private static final int FREE = 0;
    private static final int HELD = 1;

    private static final VarHandle STATE;
    private static final VarHandle OWNER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(CasSpinLock.class, "state", int.class);
            OWNER = lookup.findVarHandle(CasSpinLock.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #FREE} or {@link #HELD}; accessed only through {@link #STATE}. */
    @SuppressWarnings("unused")
    private int state;

    /** The holding thread, or {@code null}; written only by the holder, accessed only through {@link #OWNER}. */
    @SuppressWarnings("unused")
    private Thread owner;

    /** Makes a lock that no thread holds. */
    public CasSpinLock() {
    }

    /**
     * Acquires the lock, waiting (spinning, then yielding, then parking briefly) while another thread holds
     * it. Not interruptible.
     *
     * @throws IllegalStateException if the calling thread already holds the lock (the lock stays held)
     */
    @Override
    public void enter() {
        if (!(boolean) STATE.weakCompareAndSetAcquire(this, FREE, HELD)) {
            awaitAndAcquire();
        }
        OWNER.setOpaque(this, Thread.currentThread());
    }

    /**
     * Releases the lock, letting the next waiter in.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock (the lock is unchanged)
     */
    @Override
    public void exit() {
        Thread current = Thread.currentThread();
        if ((Thread) OWNER.getOpaque(this) != current) {
            throw notHolder(current);
        }
        OWNER.setOpaque(this, (Thread) null);
        STATE.setRelease(this, FREE);
    }

    private void awaitAndAcquire() {
        Thread current = Thread.currentThread();
        if ((Thread) OWNER.getOpaque(this) == current) {
            throw reentered(current);
        }
        int tries = 0;
        long parkNanos = FIRST_PARK_NANOS;
        boolean interrupted = false;
        do {
            while ((int) STATE.getOpaque(this) != FREE) {
                if (tries < SPIN_TRIES) {
                    Thread.onSpinWait();
                } else if (tries < SPIN_TRIES + YIELD_TRIES) {
                    Thread.yield();
                } else {
                    // parkNanos returns at once while the interrupt status is set: clear it (and remember it) so
                    // that an interrupted waiter parks too instead of spinning.
                    interrupted |= Thread.interrupted();
                    LockSupport.parkNanos(this, parkNanos);
                    parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
                    continue; // tries stays past the yield phase
                }
                tries++;
            }
        } while (!(boolean) STATE.weakCompareAndSetAcquire(this, FREE, HELD));
        if (interrupted) {
            current.interrupt(); // the caller's interrupt is kept
        }
    }

    private IllegalStateException reentered(Thread current) {
        return new IllegalStateException("CasSpinLock is not reentrant: thread " + describe(current)
                + " already holds it and tried to enter it again; exit() before entering again");
    }

    private IllegalStateException notHolder(Thread current) {
        return new IllegalStateException("thread " + describe(current) + " cannot exit CasSpinLock: "
                + holderDescription() + "; exit() must be called by the thread that entered");
    }

    private String holderDescription() {
        Thread holder = (Thread) OWNER.getOpaque(this);
        if (holder != null) {
            return "it is held by thread " + describe(holder);
        }
        return (int) STATE.getOpaque(this) == FREE ? "it is not held by any thread"
                : "it is held by a thread that is entering or leaving it right now";
    }

    private static String describe(Thread thread) {
        return "'" + thread.getName() + "' (id " + thread.getId() + ")";
    }

    /**
     * Describes the lock: whether it is held, and by which thread. A snapshot, possibly stale once read.
     *
     * @return for example {@code CasSpinLock[held by 'worker-1' (id 23)]} or {@code CasSpinLock[free]}
     */
    @Override
    public String toString() {
        Thread holder = (Thread) OWNER.getOpaque(this);
        if (holder != null) {
            return "CasSpinLock[held by " + describe(holder) + "]";
        }
        return (int) STATE.getOpaque(this) == FREE ? "CasSpinLock[free]" : "CasSpinLock[held]";
    }
}
