package io.github.emballoc.jcstress.planted;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.jcstress.AllocatorChurn;
import io.github.emballoc.jcstress.LockTemplates;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The tests of the real locks and allocators, run on {@link PlainExitLock}: the same bodies and the same
 * outcomes, so a forbidden outcome seen here is one the suite would report for a real lock with that bug.
 * These tests are expected to fail wherever the hardware or the JIT reorders the section's writes past the
 * plain exit; run them apart from the real ones (jcstress/README.md).
 */
public final class PlainExitLockTests {

    private PlainExitLockTests() {
    }

    /** {@code CasSpinLockTests.Increment} on the planted lock. */
    @JCStressTest
    @Description("Two threads each increment a plain field once inside PlainExitLock (planted bug).")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments counted")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment lost: both inside at once, or a write not published")
    @State
    public static class Increment extends LockTemplates.Increment {
        public Increment() {
            super(new PlainExitLock());
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

    /** {@code CasSpinLockTests.Publication} on the planted lock. */
    @JCStressTest
    @Description("A writer sets plain x then y inside PlainExitLock (planted bug); a reader reads y then x inside it.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader was inside first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer was inside first: the reader sees both writes")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN,
            desc = "the reader saw half of the writer's section: both inside at once, or a write not published")
    @State
    public static class Publication extends LockTemplates.Publication {
        public Publication() {
            super(new PlainExitLock());
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

    /** {@code FirstFitAllocatorChurn} with the allocator guarded by the planted lock. */
    @JCStressTest
    @Description("Two threads allocate, fill and free a block on one FirstFitAllocator guarded by PlainExitLock"
            + " (planted bug).")
    @Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "different blocks, both live at once, both fresh")
    @Outcome(id = {"1, 0, 1, 1", "1, 1, 0, 1"}, expect = ACCEPTABLE,
            desc = "the same block, one after the other: the second found the first's payload intact")
    @Outcome(expect = FORBIDDEN, desc = "live blocks overlapped, or a payload written before free was not seen whole")
    @State
    public static class AllocatorChurnTest extends AllocatorChurn {
        public AllocatorChurnTest() {
            super(FirstFitAllocator.builder(RawHeaps.allocate(CAPACITY)).criticalSection(new PlainExitLock()).build());
        }

        @Actor
        public void actor1() {
            churn1();
        }

        @Actor
        public void actor2() {
            churn2();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            report(r);
        }
    }
}
