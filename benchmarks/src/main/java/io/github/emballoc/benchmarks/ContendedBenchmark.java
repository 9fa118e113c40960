package io.github.emballoc.benchmarks;

import io.github.emballoc.lock.cas.CasSpinLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of two threads taking turns at one lock that guards a one-field increment: {@link CasSpinLock}
 * against {@code synchronized} and a non-fair {@link ReentrantLock}. The single-core section is absent: it
 * refuses a second thread by design.
 *
 * <p>{@code workOutside} is the work each thread does between two visits, in {@link Blackhole#consumeCPU}
 * tokens: 0 is pure lock hammering (the thread that leaves usually enters again before the other notices, so
 * it measures barging as much as hand-over); 50 (roughly 100 ns) leaves gaps in which the other thread gets
 * in, closer to an allocator that does some work between allocations.
 */
@State(Scope.Benchmark)
@Threads(2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContendedBenchmark {

    private final CasSpinLock cas = new CasSpinLock();
    private final Object monitor = new Object();
    private final ReentrantLock reentrant = new ReentrantLock();
    private long counter;

    /** Work done outside the lock between two visits, in {@link Blackhole#consumeCPU} tokens. */
    @Param({"0", "50"})
    public int workOutside;

    /** {@link CasSpinLock}. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void casSpinLock() {
        cas.enter();
        try {
            counter++;
        } finally {
            cas.exit();
        }
        Blackhole.consumeCPU(workOutside);
    }

    /** A {@code synchronized} block. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void synchronizedBlock() {
        synchronized (monitor) {
            counter++;
        }
        Blackhole.consumeCPU(workOutside);
    }

    /** A non-fair {@link ReentrantLock}. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void reentrantLock() {
        reentrant.lock();
        try {
            counter++;
        } finally {
            reentrant.unlock();
        }
        Blackhole.consumeCPU(workOutside);
    }
}
