package io.github.emballoc.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.emballoc.jcstress.LockTemplates;
import io.github.emballoc.lock.cas.CasSpinLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** Mutual exclusion and the visibility of plain fields through {@link CasSpinLock}. */
public final class CasSpinLockTests {

    private CasSpinLockTests() {
    }

    /** Two increments of a plain field, each inside the lock. */
    @JCStressTest
    @Description("Two threads each increment a plain field once inside a CasSpinLock.")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment lost: both inside at once, or a write not published")
    @State
    public static class Increment extends LockTemplates.Increment {
        public Increment() {
            super(new CasSpinLock());
        }

        @Actor
        public void actor1() {
            increment();
        }

        @Actor
        public void actor2() {
            increment();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            result(r);
        }
    }

    /** Two plain writes inside the lock, read by another thread inside it. */
    @JCStressTest
    @Description("A writer sets plain x then y inside a CasSpinLock; a reader reads y then x inside it.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader was inside first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer was inside first: the reader sees both writes")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "the reader saw half of the writer's section: both inside at once, or a write not published")
    @State
    public static class Publication extends LockTemplates.Publication {
        public Publication() {
            super(new CasSpinLock());
        }

        @Actor
        public void writer() {
            write();
        }

        @Actor
        public void reader(II_Result r) {
            read(r);
        }
    }
}
