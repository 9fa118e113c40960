package io.github.emballoc.benchmarks;

import io.github.emballoc.benchmarks.workload.Churner;
import org.openjdk.jmh.annotations.Param;

/**
 * {@link ChurnBenchmark}'s churn for this project's allocators over the other standard heaps (direct and
 * memory-mapped; the {@code byte[]} heap is in {@link ChurnBenchmark}'s table), at two sizes and the uniform
 * distribution, so that the tables show what the heap costs without multiplying the main table by three. 2,000
 * live blocks is also the size of {@link MegamorphicChurnBenchmark}, whose table takes its one-heap-class figure
 * for the direct heap from here.
 * The mapped heap is a new temporary file, deleted after the trial; nothing forces it to the disk.
 */
public class HeapKindChurnBenchmark extends AbstractChurnBenchmark {

    /** This project's allocator. */
    @Param({"indexed-best", "indexed-first", "firstfit-best", "firstfit-first"})
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

    /** Makes the parameters' subject. */
    public HeapKindChurnBenchmark() {
    }

    @Override
    protected Churner start() {
        return Churner.start(allocator, heap, live, sizes);
    }
}
