package io.github.emballoc.benchmarks;

import io.github.emballoc.benchmarks.workload.Churner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-threaded churn the churn benchmarks share: each subclass has its own parameters and says how its
 * churn starts ({@link #start()}); the measured method, the run settings and the teardown are the same for all,
 * so their figures compare. One fork with a 2 GiB heap, 2 warm-up and 3 measured iterations of 1 second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class AbstractChurnBenchmark {

    private Churner churner;

    /** For subclasses. */
    protected AbstractChurnBenchmark() {
    }

    /**
     * Makes the subject of this trial and allocates its initial blocks.
     *
     * @return the churn to measure, owning its subject
     */
    protected abstract Churner start();

    /** Starts the churn ({@link #start()}). */
    @Setup(Level.Trial)
    public void setUp() {
        churner = start();
    }

    /** Releases the region (and deletes a mapped heap's file). */
    @TearDown(Level.Trial)
    public void tearDown() {
        churner.close();
    }

    /**
     * One free and one allocation.
     *
     * @param failures counts the allocations that fail
     */
    @Benchmark
    public void churn(FailedAllocations failures) {
        if (!churner.step()) {
            failures.failedAllocations++;
        }
    }
}
