package io.github.emballoc.api;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The mutual exclusion an {@link Allocator} runs each of its operations in, as emballoc runs them under its
 * spin lock. Implementations come from {@link CriticalSectionProvider} plug-ins and are chosen by
 * {@link CriticalSections}.
 *
 * <h2>Assumptions (what callers promise)</h2>
 * <ol>
 *   <li>Every {@link #enter()} is paired with one {@link #exit()} on the same thread, normally in a
 *       {@code try/finally}.</li>
 *   <li>Code inside the section does not enter the same section again.</li>
 * </ol>
 *
 * <h2>Guarantees (what every implementation promises)</h2>
 * <ol>
 *   <li>At most one thread is inside the section at a time, among the threads the implementation allows
 *       (an implementation may confine itself to one thread and refuse the others).</li>
 *   <li>Everything a thread did before {@code exit()} happens-before everything the next thread to
 *       {@code enter()} does after entering, so plain fields guarded by the section need no
 *       {@code volatile}.</li>
 *   <li>Entering again from the thread already inside, or exiting without having entered, throws
 *       {@link IllegalStateException}: never a silent deadlock or a silent unlock of someone else's
 *       section.</li>
 *   <li>{@code enter()} and {@code exit()} allocate no objects on their normal path.</li>
 *   <li>Waiting (among the threads the implementation allows): {@code enter()} is not interruptible. A
 *       thread waiting in it, whether its interrupt status was set before it called {@code enter()} or while
 *       it waits, waits like any other without keeping a processor busy (no spinning beyond a short, bounded
 *       phase), and returns from {@code enter()} with its interrupt status still set.</li>
 *   <li>A waiting thread's back-off is bounded: once the section is released, a waiter gets in promptly,
 *       however long the section was held.</li>
 * </ol>
 * The {@code emballoc-testkit} artifact checks these guarantees ({@code CriticalSectionContract}).
 *
 * <h2>Example</h2>
 * <pre>{@code
 * section.enter();
 * try {
 *     counter++;            // a plain field, guarded by the section
 * } finally {
 *     section.exit();
 * }
 * }</pre>
 */
public interface CriticalSection {

    /**
     * Enters the section, waiting while another thread is inside. Not interruptible: an interrupted caller
     * waits too, and returns with its interrupt status set.
     *
     * @throws IllegalStateException if the calling thread is already inside, or is not allowed to use this
     *     section
     */
    void enter();

    /**
     * Leaves the section, letting the next thread in.
     *
     * @throws IllegalStateException if the calling thread is not inside the section
     */
    void exit();

    /**
     * Runs {@code action} inside the section, leaving it afterwards even if the action throws.
     *
     * @param action what to run
     * @throws IllegalStateException as {@link #enter()} does
     * @throws NullPointerException if {@code action} is {@code null} (the section is not entered)
     */
    default void run(Runnable action) {
        Objects.requireNonNull(action, "action");
        enter();
        try {
            action.run();
        } finally {
            exit();
        }
    }

    /**
     * Calls {@code action} inside the section and returns its result, leaving the section afterwards even if
     * the action throws.
     *
     * @param action what to call
     * @param <T> the result type
     * @return what {@code action} returned
     * @throws IllegalStateException as {@link #enter()} does
     * @throws NullPointerException if {@code action} is {@code null} (the section is not entered)
     */
    default <T> T call(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        enter();
        try {
            return action.get();
        } finally {
            exit();
        }
    }
}
