package io.github.emballoc.benchmarks;

import io.github.emballoc.lock.cas.CasSpinLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of two threads taking turns at one lock that guards a one-field increment: {@link CasSpinLock}
 * against {@code synchronized} and a non-fair {@link ReentrantLock}. The single-core section is absent: it
 * refuses a second thread by design.
 *
 * <p>Each lock is a JMH group of two methods that do the same thing, one thread each ({@code a} and
 * {@code b}), so JMH reports every iteration's throughput for the pair and for each thread apart: the split
 * shows whether one thread is starved (a fair share is 50%; {@code benchmarks/README.md} says how to read it).
 * The state is per group, so the two threads of a group share one lock.
 *
 * <p>{@code workOutside} is the work each thread does between two visits, in {@link Blackhole#consumeCPU}
 * tokens: 0 is pure lock hammering (the thread that leaves is the first to see the lock free again, so it
 * measures barging as much as hand-over); 50 (roughly 100 ns) leaves gaps in which the other thread gets in,
 * closer to an allocator that does some work between allocations.
 *
 * <p>Forks, warm-up and measurement are set here (3 forks of 3 + 5 one-second iterations), so that the lock
 * suite (this and {@link UncontendedBenchmark}) runs in about 5 minutes with no options.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContendedBenchmark {

    private final CasSpinLock cas = new CasSpinLock();
    private final Object monitor = new Object();
    private final ReentrantLock reentrant = new ReentrantLock();
    private long counter;

    /** Work done outside the lock between two visits, in {@link Blackhole#consumeCPU} tokens. */
    @Param({"0", "50"})
    public int workOutside;

    /** {@link CasSpinLock}, thread a. */
    @Benchmark
    @Group("casSpinLock")
    @GroupThreads(1)
    public void casSpinLockA() {
        casSpinLock();
    }

    /** {@link CasSpinLock}, thread b. */
    @Benchmark
    @Group("casSpinLock")
    @GroupThreads(1)
    public void casSpinLockB() {
        casSpinLock();
    }

    /** A {@code synchronized} block, thread a. */
    @Benchmark
    @Group("synchronizedBlock")
    @GroupThreads(1)
    public void synchronizedBlockA() {
        synchronizedBlock();
    }

    /** A {@code synchronized} block, thread b. */
    @Benchmark
    @Group("synchronizedBlock")
    @GroupThreads(1)
    public void synchronizedBlockB() {
        synchronizedBlock();
    }

    /** A non-fair {@link ReentrantLock}, thread a. */
    @Benchmark
    @Group("reentrantLock")
    @GroupThreads(1)
    public void reentrantLockA() {
        reentrantLock();
    }

    /** A non-fair {@link ReentrantLock}, thread b. */
    @Benchmark
    @Group("reentrantLock")
    @GroupThreads(1)
    public void reentrantLockB() {
        reentrantLock();
    }

    // One body per lock, shared by its two threads and kept out of JMH's loop (DONT_INLINE), so that the JIT
    // cannot merge the lock regions of successive calls (lock coarsening) for one lock and not another.

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void casSpinLock() {
        cas.enter();
        try {
            counter++;
        } finally {
            cas.exit();
        }
        Blackhole.consumeCPU(workOutside);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void synchronizedBlock() {
        synchronized (monitor) {
            counter++;
        }
        Blackhole.consumeCPU(workOutside);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void reentrantLock() {
        reentrant.lock();
        try {
            counter++;
        } finally {
            reentrant.unlock();
        }
        Blackhole.consumeCPU(workOutside);
    }
}
