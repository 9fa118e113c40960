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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ChurnBenchmark}'s churn for this project's allocators over the other standard heaps (direct and
 * memory-mapped; the {@code byte[]} heap is in {@link ChurnBenchmark}'s table), at two sizes and the uniform
 * distribution, so that the tables show what the heap costs without multiplying the main table by three. 2,000
 * live blocks is also the size of {@link MegamorphicChurnBenchmark}, whose table takes its one-heap-class figure
 * for the direct heap from here.
 * The mapped heap is a new temporary file, deleted after the trial; nothing forces it to the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HeapKindChurnBenchmark {

    /** This project's allocator. */
    @Param({"firstfit-best", "firstfit-first"})
    public String allocator;

    /** The heap ({@link io.github.emballoc.benchmarks.subject.Heaps}). */
    @Param({"direct", "mapped"})
    public String heap;

    /** How many blocks are live. */
    @Param({"2000", "20000"})
    public int live;

    /** The request sizes. */
    @Param({"uniform"})
    public String sizes;

    private Churner churner;

    /** Makes the subject and allocates the initial blocks. */
    @Setup(Level.Trial)
    public void setUp() {
        churner = Churner.start(allocator, heap, live, sizes);
    }

    /** Releases the region and deletes a mapped heap's file. */
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
