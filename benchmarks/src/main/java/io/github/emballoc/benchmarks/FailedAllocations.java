package io.github.emballoc.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The allocations that failed in one iteration, which JMH reports next to each result as the secondary
 * result {@code failedAllocations} (a count per iteration, not a rate). A churn whose region is sized by
 * {@code ChurnWork.regionFor} should show 0 for every allocator; anything else is in the tables.
 *
 * <p>Threads: one per benchmark thread (JMH's {@link Scope#Thread}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class FailedAllocations {

    /** Failed allocations so far in this iteration. */
    public long failedAllocations;

    /** Makes a counter at 0. */
    public FailedAllocations() {
    }

    /** Starts every iteration at 0. */
    @Setup(Level.Iteration)
    public void reset() {
        failedAllocations = 0;
    }
}
