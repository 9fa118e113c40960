package io.github.emballoc.benchmarks;

import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subject;
import io.github.emballoc.benchmarks.subject.Subjects;
import io.github.emballoc.benchmarks.workload.ChurnWork;
import io.github.emballoc.benchmarks.workload.Churner;
import io.github.emballoc.benchmarks.workload.SizeDistribution;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Two threads churning on one allocator at once, each over its own half of the live blocks (its own slots, its
 * own pre-drawn work from seed {@code ChurnWork.SEED + thread}), as throughput per thread: JMH reports the pair's
 * total ({@code pair}) and each thread's own ({@code pair:first}, {@code pair:second}) in operations per
 * millisecond for every iteration, so a thread that starves shows as a share near 0.
 *
 * <p>Guarding ({@link Sharing#SHARED}): this project's allocators take a {@code CasSpinLock}; offheap-store,
 * which has no locking, runs inside {@code synchronized}; one-nio's {@code Malloc} and {@code MallocMT}
 * ({@code onenio-mt}, 8 segments) and Netty's pool use their own locks.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ContendedAllocatorBenchmark {

    /** The allocator ({@link Subjects}). */
    @Param({"indexed-best", "indexed-first", "firstfit-best", "firstfit-first", "onenio", "onenio-mt", "offheapstore", "netty"})
    public String allocator;

    /** The heap of this project's allocators. */
    @Param({"array"})
    public String heap;

    /** How many blocks are live, in all (each thread has half). */
    @Param({"2000"})
    public int live;

    /** The request sizes. */
    @Param({"uniform"})
    public String sizes;

    private Subject subject;

    /** Makes the shared subject, over a region sized for all the live blocks. */
    @Setup(Level.Trial)
    public void setUp() {
        subject = Subjects.create(allocator, heap, ChurnWork.regionFor(live, SizeDistribution.named(sizes)), live,
                Sharing.SHARED);
    }

    /** Releases the region. */
    @TearDown(Level.Trial)
    public void tearDown() {
        subject.close();
    }

    /** One thread's half of the churn. */
    @State(Scope.Thread)
    public static class Worker {
        private Churner churner;

        /** Makes no churn yet: {@link #setUp} does, once the shared subject exists. */
        public Worker() {
        }

        /**
         * Draws this thread's work and allocates its initial blocks into its half of the slots.
         *
         * @param shared the shared subject
         * @param thread tells which of the two threads this is
         */
        @Setup(Level.Trial)
        public void setUp(ContendedAllocatorBenchmark shared, ThreadParams thread) {
            int index = thread.getGroupThreadIndex();
            int half = shared.live / 2;
            ChurnWork work = ChurnWork.draw(half, SizeDistribution.named(shared.sizes), ChurnWork.SEED + index);
            churner = new Churner(shared.subject, work, index * half);
            churner.fillShared(work);
        }

        boolean step() {
            return churner.step();
        }
    }

    /**
     * The first thread's free and allocation.
     *
     * @param worker its churn
     * @param failures counts the allocations that fail
     */
    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public void first(Worker worker, FailedAllocations failures) {
        if (!worker.step()) {
            failures.failedAllocations++;
        }
    }

    /**
     * The second thread's free and allocation.
     *
     * @param worker its churn
     * @param failures counts the allocations that fail
     */
    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public void second(Worker worker, FailedAllocations failures) {
        if (!worker.step()) {
            failures.failedAllocations++;
        }
    }
}
