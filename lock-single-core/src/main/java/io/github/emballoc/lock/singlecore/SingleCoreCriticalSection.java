package io.github.emballoc.lock.singlecore;

import io.github.emballoc.api.CriticalSection;

/**
 * A critical section for an allocator that only one thread ever touches: it uses no atomic instructions, no
 * locks and no {@code volatile} fields, as emballoc's fallback for targets without compare-and-swap does.
 * It is confined to the first thread that {@linkplain #enter() enters} it, much as
 * {@code Arena.ofConfined()} is confined to its owner thread (except that the owner is the first thread to
 * enter, not the thread that made the section, so a section can be made on one thread and handed to the
 * thread that will use it).
 *
 * <h2>Assumptions (what callers promise)</h2>
 * <ol>
 *   <li>Confinement: only one thread ever enters or exits this section. This is the caller's promise, not
 *       something the section can enforce (see guarantee 3).</li>
 *   <li>Every {@link #enter()} that returns is followed by exactly one {@link #exit()}, normally in a
 *       {@code try/finally} (or through {@link #run(Runnable)} and
 *       {@link #call(java.util.function.Supplier)}).</li>
 *   <li>If the section is made on one thread and used on another, it is handed over safely (through a
 *       {@code final} field, a {@code volatile} write, a started thread, a concurrent collection...), as
 *       any object with plain fields must be.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ol>
 *   <li>Mutual exclusion, trivially: with assumption 1 only one thread can ever be inside.</li>
 *   <li>Ordering within that thread: it is program order; no fence is issued because none is needed.</li>
 *   <li>Best-effort detection of a second thread: the first thread to enter is recorded (in a plain field),
 *       and a different thread that calls {@code enter()} or {@code exit()} and sees that record gets
 *       {@link IllegalStateException} naming both threads, leaving the section as it was. A thread that does
 *       not see the record yet but sees that some thread is inside is refused too (without the owner's
 *       name), and changes nothing. Without atomic instructions or {@code volatile} fields, a thread that
 *       races with the owner may see neither (the memory model lets it read stale values, and two threads
 *       entering at the very same time may both believe they are first; the owner's {@code exit()} may then
 *       be refused), so <em>detection is best-effort: a racing second thread may go unnoticed and corrupt
 *       the heap</em>. A second thread that starts after the owner has entered, and was started by or
 *       otherwise synchronised with the owner afterwards, is always refused. Use {@code emballoc-lock-cas}
 *       whenever more than one thread may touch the allocator.</li>
 *   <li>Misuse by the owner is refused: entering again while inside, or exiting while not inside, throws
 *       {@link IllegalStateException} naming the thread; the section is left as it was.</li>
 *   <li>{@code enter()} and {@code exit()} allocate no objects unless they throw, and compile to a few
 *       plain loads, compares and stores.</li>
 * </ol>
 * The confinement is permanent: it does not end when the owner exits the section, nor when the owner thread
 * terminates. Make a new section (and a new allocator) for another thread.
 *
 * <h2>Threads</h2>
 * Only the owner (the first thread to enter) may call {@code enter()}, {@code exit()}, {@code run} and
 * {@code call}; any other thread is refused, best-effort as above. {@link #toString()} may be called from
 * any thread, and from any thread but the owner its answer may be stale.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * // -Demballoc.critical-section=single-core, or only emballoc-lock-single-core present
 * CriticalSection section = CriticalSections.create();
 * section.run(() -> counter++);    // this thread now owns the section
 *
 * new Thread(() -> section.run(() -> counter++)).start();
 * // -> IllegalStateException: SingleCoreCriticalSection is confined to thread 'main' (id 1), the first
 * //    to enter it; thread 'Thread-0' (id 22) may not enter it ...
 * }</pre>
 */
public final class SingleCoreCriticalSection implements CriticalSection {

    /*
     * Design.
     *
     * Two plain fields: owner (null until the first enter(), then that thread forever) and inside. enter()
     * refuses a different owner; when it sees no owner it refuses if inside is set (another thread is
     * inside and its write of owner has not reached this thread: the calling thread cannot be the one
     * inside, since it would read its own write), and only then claims the section; it refuses re-entry by
     * the owner; then it sets inside. exit() refuses a different or missing owner, refuses when not inside,
     * then clears inside. Every check comes before every write, so a refused call changes nothing: in
     * particular a thread that sees any sign of another thread inside never overwrites owner (which would
     * make the real owner's exit() fail and leave the section inside for good).
     *
     * No VarHandle, no volatile, no synchronized: that is the point of this section (it is what a target
     * without compare-and-swap can offer, and it costs the allocator nothing). The price is that the
     * owner check is only as good as the visibility of a plain write: the owner's own thread always sees
     * it (program order), another thread sees it once anything synchronises the two threads (a start(),
     * a join(), a volatile or a lock elsewhere), and before that it may read null. The class javadoc says
     * so rather than pretending otherwise; confinement is the user's promise and this check only catches
     * the common mistakes (a pool thread, a parallel stream, a second worker started later).
     *
     * Thread.currentThread() is an intrinsic load; nothing here allocates unless an exception is thrown.
     */

    /** The first thread to enter, or {@code null}; written once, by that thread. */
    private Thread owner;

    /** Whether the owner is inside; read and written only by the owner. */
    private boolean inside;

    /** Makes a section that no thread has entered yet; the first thread to enter it will own it. */
    public SingleCoreCriticalSection() {
    }

    /**
     * Enters the section. The first call makes the calling thread the owner, for good.
     *
     * @throws IllegalStateException if another thread owns the section (the message names both threads), or
     *     the calling thread is already inside; the section is left as it was
     */
    @Override
    public void enter() {
        Thread current = Thread.currentThread();
        Thread confinedTo = owner;
        if (confinedTo != current) {
            if (confinedTo != null) {
                throw foreign(confinedTo, current, "enter");
            }
            if (inside) {
                // Some other thread is inside (this one cannot be: it would read itself as the owner), and its
                // write of owner has not reached this thread yet. Refuse before writing anything.
                throw ownerNotSeenYet(current, "enter");
            }
            owner = current;
        } else if (inside) {
            throw new IllegalStateException("SingleCoreCriticalSection is not reentrant: thread "
                    + describe(current) + " is already inside it and tried to enter it again; exit() first");
        }
        inside = true;
    }

    /**
     * Leaves the section.
     *
     * @throws IllegalStateException if the calling thread is not the owner (the message names both threads,
     *     or says that no thread has entered yet), or is not inside; the section is left as it was
     */
    @Override
    public void exit() {
        Thread current = Thread.currentThread();
        Thread confinedTo = owner;
        if (confinedTo != current) {
            if (confinedTo == null) {
                if (inside) {
                    throw ownerNotSeenYet(current, "exit");
                }
                throw new IllegalStateException("thread " + describe(current)
                        + " cannot exit SingleCoreCriticalSection: no thread has entered it");
            }
            throw foreign(confinedTo, current, "exit");
        }
        if (!inside) {
            throw new IllegalStateException("thread " + describe(current)
                    + " cannot exit SingleCoreCriticalSection: it is not inside (every exit() must follow an"
                    + " enter())");
        }
        inside = false;
    }

    private static IllegalStateException foreign(Thread confinedTo, Thread current, String what) {
        return new IllegalStateException("SingleCoreCriticalSection is confined to thread " + describe(confinedTo)
                + ", the first to enter it; thread " + describe(current) + " may not " + what
                + " it. Use emballoc-lock-cas (-Demballoc.critical-section=cas) for an allocator shared between"
                + " threads");
    }

    private static IllegalStateException ownerNotSeenYet(Thread current, String what) {
        return new IllegalStateException("SingleCoreCriticalSection is confined to the first thread to enter it,"
                + " and another thread is inside it (which one is not visible to this thread yet); thread "
                + describe(current) + " may not " + what + " it. Use emballoc-lock-cas"
                + " (-Demballoc.critical-section=cas) for an allocator shared between threads");
    }

    private static String describe(Thread thread) {
        return "'" + thread.getName() + "' (id " + thread.getId() + ")";
    }

    /**
     * Describes the section: its owner, if any, and whether the owner is inside. Exact on the owner thread, a
     * possibly stale snapshot on any other.
     *
     * @return for example {@code SingleCoreCriticalSection[confined to 'main' (id 1), inside]}
     */
    @Override
    public String toString() {
        Thread confinedTo = owner;
        if (confinedTo == null) {
            return "SingleCoreCriticalSection[not entered yet]";
        }
        return "SingleCoreCriticalSection[confined to " + describe(confinedTo) + (inside ? ", inside]" : ", outside]");
    }
}
