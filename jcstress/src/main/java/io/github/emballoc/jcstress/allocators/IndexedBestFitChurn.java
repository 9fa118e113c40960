package io.github.emballoc.jcstress.allocators;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.Fit;
import io.github.emballoc.indexed.IndexedAllocator;
import io.github.emballoc.jcstress.AllocatorChurn;
import io.github.emballoc.lock.cas.CasSpinLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link IndexedAllocator} (best fit) guarded by a {@link CasSpinLock}, shared by two threads that each
 * allocate, fill and free a block ({@link AllocatorChurn} says what the outcomes mean). Another allocator's
 * test is this class with another allocator in the constructor.
 */
@JCStressTest
@Description("Two threads allocate, fill and free a 16-byte block on one IndexedAllocator (best fit)"
        + " guarded by CasSpinLock.")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "different blocks, both live at once, both fresh")
@Outcome(id = {"1, 0, 1, 1", "1, 1, 0, 1"}, expect = ACCEPTABLE,
        desc = "the same block, one after the other: the second found the first's payload intact")
@Outcome(expect = FORBIDDEN, desc = "live blocks overlapped, or a payload written before free was not seen whole")
@State
public class IndexedBestFitChurn extends AllocatorChurn {

    public IndexedBestFitChurn() {
        super(IndexedAllocator.builder(RawHeaps.allocate(CAPACITY)).fit(Fit.BEST).criticalSection(new CasSpinLock()).build());
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
