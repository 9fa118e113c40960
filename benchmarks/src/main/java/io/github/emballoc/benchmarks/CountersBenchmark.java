package io.github.emballoc.benchmarks;

import io.github.emballoc.api.OperationCounts;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether the operation counts ({@code Allocator.counts()}) cost anything measurable. A
 * {@link FirstFitAllocator} keeps them as two plain {@code long} increments per allocate/free pair, inside
 * its critical section, and cannot be built without them; so the benchmark measures the pair as it is
 * ({@code allocateAndFree}) and the same pair followed by two more such increments
 * ({@code allocateAndFreeCountedTwice}). If the second is within the error of the first, the counting the
 * allocator already does is within it too. {@code counts} is the cost of reading the counts (a snapshot
 * record inside the section), which a metrics registry pays per publication, not per operation.
 *
 * <p>The heap holds 32 live blocks, as in {@link DecoratorBenchmark}; a single-core section (no atomics) keeps
 * the lock's own cost small next to the increments.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CountersBenchmark {

    private FirstFitAllocator allocator;
    private long allocations;
    private long frees;

    /** A fresh heap with 32 live blocks, its section owned by the iteration's thread. */
    @Setup(Level.Iteration)
    public void build() {
        allocator = FirstFitAllocator.builder(RawHeaps.allocate(1 << 16))
                .criticalSection(new SingleCoreCriticalSection()).build();
        for (int i = 0; i < 32; i++) {
            allocator.allocate(16 + i);
        }
    }

    /** One allocation and its free, counted by the allocator as always. */
    @Benchmark
    public int allocateAndFree() {
        int handle = allocator.allocate(64);
        allocator.free(handle);
        return handle;
    }

    /** The same, plus the two increments the allocator's counting amounts to, done again here. */
    @Benchmark
    public int allocateAndFreeCountedTwice() {
        int handle = allocator.allocate(64);
        allocations++;
        allocator.free(handle);
        frees++;
        return handle;
    }

    /** Reading the counts. */
    @Benchmark
    public OperationCounts counts() {
        return allocator.counts();
    }
}
