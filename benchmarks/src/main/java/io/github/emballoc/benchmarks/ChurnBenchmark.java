package io.github.emballoc.benchmarks;

import io.github.emballoc.benchmarks.subject.Subjects;
import io.github.emballoc.benchmarks.workload.ChurnWork;
import io.github.emballoc.benchmarks.workload.Churner;
import io.github.emballoc.benchmarks.workload.SizeDistribution;
import org.openjdk.jmh.annotations.Param;

/**
 * Steady churn on one thread: {@code live} blocks are allocated first, then every operation frees a block chosen
 * at random among them and allocates a new one of a random size in its slot, so one operation is one
 * {@code free} plus one {@code allocate}, and the result is nanoseconds per such pair. Sizes and victims are
 * drawn before measuring from a fixed seed ({@link ChurnWork}), the same for every allocator; the region is
 * {@link ChurnWork#regionFor} for every allocator; failed allocations are counted ({@link FailedAllocations}).
 *
 * <p>This project's allocators run over the {@code heap} parameter's heap, guarded by an
 * {@link io.github.emballoc.benchmarks.subject.UnguardedSection} (one thread, no lock); the peers as
 * {@link Subjects} describes. Run with {@code -prof gc} to see the bytes allocated per operation
 * ({@code gc.alloc.rate.norm}).
 */
public class ChurnBenchmark extends AbstractChurnBenchmark {

    /** The allocator ({@link Subjects}). */
    @Param({"indexed-best", "indexed-first", "firstfit-best", "firstfit-first", "onenio", "offheapstore", "netty"})
    public String allocator;

    /** The heap of this project's allocators ({@link io.github.emballoc.benchmarks.subject.Heaps}). */
    @Param({"array"})
    public String heap;

    /** How many blocks are live. */
    @Param({"200", "2000", "20000", "200000"})
    public int live;

    /** The request sizes ({@link SizeDistribution}). */
    @Param({"uniform", "mostly-small"})
    public String sizes;

    /**
     * The region's size in bytes: {@code auto} for {@link ChurnWork#regionFor} (what the tables use), or a power
     * of two to run the churn under memory pressure, where the failed allocations are counted.
     */
    @Param({"auto"})
    public String region;

    /** Makes the parameters' subject. */
    public ChurnBenchmark() {
    }

    @Override
    protected Churner start() {
        return region.equals("auto") ? Churner.start(allocator, heap, live, sizes)
                : Churner.start(allocator, heap, live, sizes, Integer.parseInt(region));
    }
}
