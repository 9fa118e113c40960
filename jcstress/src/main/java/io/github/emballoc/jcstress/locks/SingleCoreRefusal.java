package io.github.emballoc.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two threads race to enter and leave one new {@link SingleCoreCriticalSection}. Each reports 1 (it entered
 * and left), 0 (its enter was refused and it changed nothing), 2 (it entered but its own exit was refused:
 * the other thread overwrote the owner) or 3 (it never entered, yet was told it was re-entering: the defect
 * of issue 12, where a refused thread had already overwritten the owner).
 */
@JCStressTest
@Description("Two threads each enter and exit one new SingleCoreCriticalSection (plain fields, no atomics).")
@Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "the second thread was refused, and changed nothing")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "both got in, one after the other: the second did not see the first's plain writes yet"
                + " (detection is best-effort, as documented)")
@Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE_INTERESTING,
        desc = "both claimed the new section at the same instant, and the first's exit was refused (the race the"
                + " javadoc warns of)")
@Outcome(id = ".*3.*", expect = FORBIDDEN,
        desc = "a thread that never entered was told it was re-entering: it wrote the owner before checking")
@Outcome(expect = FORBIDDEN, desc = "impossible: a refused thread changed the section")
@State
public class SingleCoreRefusal {

    private final SingleCoreCriticalSection section = new SingleCoreCriticalSection();

    @Actor
    public void actor1(II_Result r) {
        r.r1 = attempt();
    }

    @Actor
    public void actor2(II_Result r) {
        r.r2 = attempt();
    }

    private int attempt() {
        try {
            section.enter();
        } catch (IllegalStateException e) {
            return e.getMessage().contains("not reentrant") ? 3 : 0;
        }
        try {
            section.exit();
            return 1;
        } catch (IllegalStateException e) {
            return 2;
        }
    }
}
