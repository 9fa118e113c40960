package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A test-and-test-and-set spin lock on a {@link VarHandle}, with a ticket queue behind its spin phase: the
 * JVM counterpart of the spin lock emballoc guards its heap with. It suits critical sections that last
 * nanoseconds to a few microseconds, such as one allocation or one free.
 *
 * <h2>Assumptions (what callers promise)</h2>
 * <ol>
 *   <li>Every {@link #enter()} that returns is followed by exactly one {@link #exit()} on the same thread,
 *       normally in a {@code try/finally} (or through {@link #run(Runnable)} and
 *       {@link #call(java.util.function.Supplier)}, which do that for you).</li>
 *   <li>The code inside the section does not enter this lock again (it is not reentrant), and it is short:
 *       a waiter spends processor time (spinning, then yielding, then waking from short parks) for as long as
 *       the holder stays inside.</li>
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
 *   <li>Uncontended cost: {@code enter()} on a free lock is one compare-and-set; {@code exit()} with no
 *       waiter asking for the lock is one releasing store (plus two reads and a store of fields on the same
 *       cache line).</li>
 *   <li>Bounded waiting: a thread that finds the lock held competes with every other comer (taking it
 *       whenever it sees it free and wins the compare-and-set) for at most 128 looks at the
 *       lock, then takes a ticket. Tickets wait their turn in order: only the oldest waiting ticket, the
 *       head, goes on competing, for 128 more looks, and then asks for the lock; from then
 *       on the holder's next {@code exit()} hands the lock straight to it, and no other thread can take it
 *       in between. So a waiter is overtaken only while it spins those looks (a few microseconds of its own
 *       running time each), by the threads with older tickets, and by at most one thread that was entering
 *       as it asked: it is never starved, whatever the others do (so long as each holder leaves).</li>
 *   <li>Progress on few cores: a waiter spins with {@link Thread#onSpinWait()} only for the bounded looks
 *       above, then {@link Thread#yield() yields} (at most 64 times and for at most
 *       100&nbsp;&micro;s), then parks for short, bounded intervals (doubling from
 *       1&nbsp;&micro;s, capped at 131,072&nbsp;ns, about 0.13&nbsp;ms) between looks, so
 *       that on a machine with fewer cores than runnable threads a waiter never keeps the holder off the
 *       processor. A holder that hands the lock to a parked waiter wakes it ({@link LockSupport#unpark}); a
 *       waiter whose ticket comes up while it is parked notices it within one park.</li>
 *   <li>Interruption: {@code enter()} is not interruptible. An interrupted waiter (interrupted before it
 *       calls {@code enter()} or while it waits) waits like any other, parking rather than spinning (it
 *       clears the interrupt status to park, since a park returns at once while it is set), and returns from
 *       {@code enter()} with its interrupt status set.</li>
 *   <li>{@code enter()} and {@code exit()} allocate no objects unless they throw.</li>
 * </ol>
 * It does <em>not</em> guarantee strict first-come-first-served order: while it spins, a waiter may be
 * overtaken by any number of threads (typically the holder entering again). That is what keeps the lock fast
 * when two threads on different cores take turns: the holder runs a batch of operations on a cache line it
 * already owns while the other spins, and the batch ends with a hand-over.
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
     * state is FREE, HELD or HANDED_OVER (held by nobody yet, reserved for the queue's head). enter() tries
     * one acquiring CAS FREE -> HELD (the uncontended path: one CAS, no loop, and no read of the line before
     * it: a read first would fetch the line shared and the CAS then fetch it again exclusive, two misses
     * instead of one whenever another core wrote it last). A weak CAS is enough everywhere: a spurious
     * failure only costs one more look.
     *
     * If that fails, enter() checks for re-entry (below), then:
     *
     * 1. Barging. For SPIN_TRIES looks it reads state (opaque: a plain load the JIT may not hoist out of the
     *    loop), and when it looks FREE tries the CAS, with Thread.onSpinWait() between looks (PAUSE on x86).
     *    Waiting on a read keeps the line shared among waiters instead of bouncing it with a write per look
     *    (test-and-test-and-set). Any thread may win; most often the holder, entering again, which is why a
     *    lock of this kind is fast, and also why, without what follows, one of two threads churning the lock
     *    got 0% of the entries for seconds.
     *
     * 2. Queue. It takes a ticket (getAndAdd on nextTicket). serving is the oldest ticket still waiting, the
     *    head. Tickets are ints compared for equality, so they may wrap around.
     *    a. Until serving == its ticket it yields, then parks (there is nothing to spin for: the tickets
     *       ahead of it come first). It never tries to take the lock meanwhile.
     *    b. As the head it competes as in step 1 for SPIN_TRIES more looks (CAS FREE -> HELD). Then it is
     *       hungry: it publishes itself in head and waits for the hand-over, spinning SPIN_TRIES looks (the
     *       hand-over comes at the holder's next exit), then yielding, then parking; it takes the lock when
     *       state is HANDED_OVER (CAS to HELD; no other thread ever CASes from HANDED_OVER) or FREE.
     *    c. Holding the lock it clears head (if it published itself) and then advances serving to its ticket
     *       + 1 (a release, read with acquire by the waiters, so the next head's write of head comes after
     *       this clearing). Only a holder writes serving.
     *
     *    exit() reads head: null, it stores FREE (release); a hungry head, it stores HANDED_OVER (release)
     *    and unparks that thread. While HANDED_OVER, a barging CAS FREE -> HELD cannot win, so the lock goes
     *    from holder to head with nobody in between. The head published itself with a volatile write and
     *    re-reads state with volatile reads while hungry; an exit that read head just before the publication
     *    stores FREE instead, one thread may win that, and its own exit hands over: the 'at most one' of
     *    guarantee 5. The head then sees FREE within one park at most, and competes for it. The exit pays
     *    one read for all this: no fence, no read-modify-write on the uncontended path.
     *
     *    The head is hungry only after its own spin phase, not as soon as it is queued: handing over on every
     *    exit would make two churning threads alternate one entry each, with a cache-line transfer and often
     *    a wake-up per entry, and a hand-over to a thread the OS has descheduled stalls the lock until it runs
     *    again; with a spin phase first, the holder keeps the lock for a batch and the waiter is served once
     *    per batch.
     *
     * Back-off. Spinning looks call Thread.onSpinWait(); yielding looks call Thread.yield(), at most
     * YIELD_TRIES of them and for at most MAX_YIELD_NANOS (on a busy machine one yield can give the processor
     * away for milliseconds, and a yielding thread stays runnable); after that each look parks for parkNanos,
     * doubling from FIRST_PARK_NANOS (1 us) and capped at MAX_PARK_NANOS (131,072 ns: the doubling stops
     * there, it does not overshoot to the next power). Parking (rather than spinning) lets a descheduled
     * holder run on a 2-core machine where more threads than cores want the lock; the ceiling bounds how late
     * a queued waiter that nobody unparks notices that its ticket has come up. LockSupport.parkNanos returns
     * at once while the interrupt status is set, so before each park the waiter clears the status
     * (Thread.interrupted()) and remembers it, and sets it again (interrupt() on itself) once it holds the
     * lock: an interrupted waiter parks like any other and keeps its interrupt. None of this allocates:
     * onSpinWait, yield, nanoTime, parkNanos(Object, long), unpark, interrupted and interrupt take or make no
     * objects.
     *
     * Owner. The holder writes itself into owner right after it gets the lock and clears it right before
     * the releasing store, so owner is only ever written by the thread holding the lock. It is read with
     * opaque loads by any thread, but the decisions taken on it are exact for the thread that reads: a
     * thread T reads owner == T only if T holds the lock, because T's own last write (T when it entered,
     * null when it left) is ordered before its read by program order, and every other thread writes only
     * itself or null. Re-entry is checked only after the first CAS fails, which it always does for the
     * holder (only the holder can write FREE), so the check costs nothing on the uncontended path. Only the
     * *name* in an error message can be stale (another thread's owner field may be read mid-change); in the
     * window between taking the lock and the owner store, or while the lock is handed over, the message
     * says so.
     *
     * All the fields share a cache line on purpose: the holder touches one line, and waiters (which read
     * state, or serving) make it fetch that line back once per exit, as they would if the line held state
     * alone. Padding the fields apart would add a line to every enter and exit.
     */

    /**
     * Looks at the lock spent spinning: before taking a ticket; then, as the head, competing, and again
     * waiting for the hand-over. (The class javadoc states the numbers of these constants: keep them equal.)
     */
    static final int SPIN_TRIES = 128;

    /** Looks spent with {@link Thread#yield()} after spinning, before parking (at most). */
    static final int YIELD_TRIES = 64;

    /**
     * The longest a waiter keeps yielding before it parks, in nanoseconds: on a busy machine a single yield
     * can give the processor away for milliseconds, and a waiter that keeps yielding stays runnable.
     */
    static final long MAX_YIELD_NANOS = 100_000L;

    /** The first park of a waiter, in nanoseconds; each further park is twice as long, up to the ceiling. */
    static final long FIRST_PARK_NANOS = 1_000L;

    /** The longest a waiter parks between two looks at the lock, in nanoseconds (about 0.13 ms). */
    static final long MAX_PARK_NANOS = 131_072L;

    private static final int FREE = 0;
    private static final int HELD = 1;
    private static final int HANDED_OVER = 2;

    private static final VarHandle STATE;
    private static final VarHandle OWNER;
    private static final VarHandle NEXT_TICKET;
    private static final VarHandle SERVING;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(CasSpinLock.class, "state", int.class);
            OWNER = lookup.findVarHandle(CasSpinLock.class, "owner", Thread.class);
            NEXT_TICKET = lookup.findVarHandle(CasSpinLock.class, "nextTicket", int.class);
            SERVING = lookup.findVarHandle(CasSpinLock.class, "serving", int.class);
            HEAD = lookup.findVarHandle(CasSpinLock.class, "head", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #FREE}, {@link #HELD} or {@link #HANDED_OVER}; accessed only through {@link #STATE}. */
    @SuppressWarnings("unused")
    private int state;

    /** The holding thread, or {@code null}; written only by the holder, accessed only through {@link #OWNER}. */
    @SuppressWarnings("unused")
    private Thread owner;

    /** The ticket the next queued waiter takes; accessed only through {@link #NEXT_TICKET}. */
    @SuppressWarnings("unused")
    private int nextTicket;

    /** The oldest ticket still waiting (the head); written only by the holder, through {@link #SERVING}. */
    @SuppressWarnings("unused")
    private int serving;

    /** The head once it is hungry (asks for a hand-over), or {@code null}; accessed only through {@link #HEAD}. */
    @SuppressWarnings("unused")
    private Thread head;

    /** Makes a lock that no thread holds. */
    public CasSpinLock() {
    }

    /**
     * Acquires the lock, waiting (spinning, then queueing: yielding, then parking briefly) while another
     * thread holds it. Not interruptible: an interrupted caller waits too and returns with its interrupt
     * status set.
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
     * Releases the lock, letting the next thread in: straight to the longest waiter if it has asked for it.
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
        Thread hungry = (Thread) HEAD.getOpaque(this);
        if (hungry == null) {
            STATE.setRelease(this, FREE);
        } else {
            STATE.setRelease(this, HANDED_OVER);
            LockSupport.unpark(hungry);
        }
    }

    private void awaitAndAcquire() {
        Thread current = Thread.currentThread();
        if ((Thread) OWNER.getOpaque(this) == current) {
            throw reentered(current);
        }
        for (int spins = 0; spins < SPIN_TRIES; spins++) {
            if ((int) STATE.getOpaque(this) == FREE && (boolean) STATE.weakCompareAndSetAcquire(this, FREE, HELD)) {
                return;
            }
            Thread.onSpinWait();
        }
        int ticket = (int) NEXT_TICKET.getAndAdd(this, 1);
        boolean interrupted = false;
        // Not the head yet: nothing to spin for (the tickets ahead come first), so yield, then park.
        int yields = 0;
        long yieldUntil = System.nanoTime() + MAX_YIELD_NANOS;
        long parkNanos = FIRST_PARK_NANOS;
        while ((int) SERVING.getAcquire(this) != ticket) {
            if (yields < YIELD_TRIES && System.nanoTime() - yieldUntil < 0) {
                Thread.yield();
                yields++;
            } else {
                interrupted |= Thread.interrupted();
                LockSupport.parkNanos(this, parkNanos);
                parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
            }
        }
        // The head: compete for SPIN_TRIES more looks, then ask for the lock to be handed over and wait for it,
        // spinning for SPIN_TRIES looks (it comes at the holder's next exit), then yielding, then parking.
        int spins = 0;
        yields = 0;
        parkNanos = FIRST_PARK_NANOS;
        boolean hungry = false;
        while (true) {
            int seen = (int) (hungry ? STATE.getVolatile(this) : STATE.getOpaque(this));
            if (seen != HELD && (boolean) STATE.weakCompareAndSetAcquire(this, seen, HELD)) {
                break;
            }
            if (spins == SPIN_TRIES && !hungry) {
                HEAD.setVolatile(this, current); // from the next exit on, the lock is handed to this thread
                hungry = true;
            }
            if (spins < 2 * SPIN_TRIES) {
                Thread.onSpinWait();
                if (++spins == 2 * SPIN_TRIES) {
                    yieldUntil = System.nanoTime() + MAX_YIELD_NANOS;
                }
            } else if (yields < YIELD_TRIES && System.nanoTime() - yieldUntil < 0) {
                Thread.yield();
                yields++;
            } else {
                interrupted |= Thread.interrupted();
                LockSupport.parkNanos(this, parkNanos);
                parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
            }
        }
        if (hungry) {
            HEAD.setOpaque(this, (Thread) null);
        }
        SERVING.setRelease(this, ticket + 1);
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
        switch ((int) STATE.getOpaque(this)) {
            case FREE:
                return "it is not held by any thread";
            case HANDED_OVER:
                return "it is being handed over to the thread that has waited longest";
            default:
                return "it is held by a thread that is entering or leaving it right now";
        }
    }

    private static String describe(Thread thread) {
        return "'" + thread.getName() + "' (id " + thread.getId() + ")";
    }

    /**
     * Describes the lock: whether it is held, and by which thread. A snapshot, possibly stale once read.
     *
     * @return for example {@code CasSpinLock[held by 'worker-1' (id 23)]}, {@code CasSpinLock[free]} or
     *     {@code CasSpinLock[handed over]}
     */
    @Override
    public String toString() {
        Thread holder = (Thread) OWNER.getOpaque(this);
        if (holder != null) {
            return "CasSpinLock[held by " + describe(holder) + "]";
        }
        switch ((int) STATE.getOpaque(this)) {
            case FREE:
                return "CasSpinLock[free]";
            case HANDED_OVER:
                return "CasSpinLock[handed over]";
            default:
                return "CasSpinLock[held]";
        }
    }
}
