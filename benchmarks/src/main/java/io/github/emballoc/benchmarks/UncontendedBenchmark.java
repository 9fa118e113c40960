package io.github.emballoc.benchmarks;

import io.github.emballoc.lock.cas.CasSpinLock;
import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * The cost of one uncontended enter/exit pair around a one-field increment, for each critical section and for
 * the JDK's {@code synchronized} and {@link ReentrantLock}, next to the increment alone ({@code baseline}).
 *
 * <p>Every benchmark method is kept out of JMH's measurement loop ({@code DONT_INLINE}) so that the JIT cannot
 * merge the lock regions of successive calls (lock coarsening) for one contender and not another; the call
 * costs the same for all, baseline included.
 *
 * <p>Forks, warm-up and measurement are set here (3 forks of 3 + 5 one-second iterations), so that the lock
 * suite (this and {@link ContendedBenchmark}) runs in about 5 minutes with no options.
 */
@State(Scope.Thread)
@Threads(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UncontendedBenchmark {

    private final CasSpinLock cas = new CasSpinLock();
    private final Object monitor = new Object();
    private final ReentrantLock reentrant = new ReentrantLock();
    private SingleCoreCriticalSection singleCore;
    private long counter;

    /**
     * A fresh single-core section per iteration, owned by whichever thread runs the iteration (JMH does not
     * promise the same worker thread for every iteration).
     */
    @Setup(Level.Iteration)
    public void freshSingleCoreSection() {
        singleCore = new SingleCoreCriticalSection();
    }

    /** The increment without any lock. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long baseline() {
        return ++counter;
    }

    /** {@link CasSpinLock}: one acquiring CAS and one releasing store. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long casSpinLock() {
        cas.enter();
        try {
            return ++counter;
        } finally {
            cas.exit();
        }
    }

    /** {@link SingleCoreCriticalSection}: plain loads and stores only. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long singleCore() {
        singleCore.enter();
        try {
            return ++counter;
        } finally {
            singleCore.exit();
        }
    }

    /** A {@code synchronized} block (thin lock; no biased locking on JDK 17 by default). */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long synchronizedBlock() {
        synchronized (monitor) {
            return ++counter;
        }
    }

    /** A non-fair {@link ReentrantLock}. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public long reentrantLock() {
        reentrant.lock();
        try {
            return ++counter;
        } finally {
            reentrant.unlock();
        }
    }
}
