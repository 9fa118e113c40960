package io.github.emballoc.jcstress;

import io.github.emballoc.api.CriticalSection;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The bodies of the lock tests, shared by every lock they run on. A jcstress test declares its own
 * {@code @Actor} and {@code @Arbiter} methods and its outcomes; those of a lock test call the methods here, so
 * that the lock under test is the only difference between a real lock's test and a planted bug's.
 */
public final class LockTemplates {

    private LockTemplates() {
    }

    /**
     * Two threads each increment a plain field once inside the section; the arbiter reads it. 2 is the only
     * correct result; 1 means an increment was lost: the two were inside at once, or the second did not see
     * the first's write (its exit did not release, or its enter did not acquire).
     */
    public abstract static class Increment {
        private final CriticalSection section;
        private int counter; // plain, guarded by the section

        protected Increment(CriticalSection section) {
            this.section = section;
        }

        /** One actor's increment. */
        protected final void increment() {
            section.enter();
            try {
                counter = counter + 1;
            } finally {
                section.exit();
            }
        }

        /** The arbiter: the counter once both actors are done. */
        protected final void result(I_Result r) {
            r.r1 = counter;
        }
    }

    /**
     * One thread writes two plain fields inside the section, x then y; the other reads them inside it, y
     * then x. Correct results: 0, 0 (the reader was first) and 1, 1 (the writer was first). A reader that
     * sees one write and not the other, 1, 0 or 0, 1, was inside while the writer was, or entered after the
     * writer's exit without its writes.
     */
    public abstract static class Publication {
        private final CriticalSection section;
        private int x; // plain, guarded by the section
        private int y; // plain, guarded by the section

        protected Publication(CriticalSection section) {
            this.section = section;
        }

        /** The writer. */
        protected final void write() {
            section.enter();
            try {
                x = 1;
                y = 1;
            } finally {
                section.exit();
            }
        }

        /** The reader: r1 is y, r2 is x. */
        protected final void read(II_Result r) {
            section.enter();
            try {
                r.r1 = y;
                r.r2 = x;
            } finally {
                section.exit();
            }
        }
    }
}
