package io.github.emballoc.benchmarks;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.benchmarks.subject.Heaps;
import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subjects;
import io.github.emballoc.benchmarks.workload.TraceGenerator;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@value TraceGenerator#OPERATIONS}-operation trace ({@link TraceGenerator}, about
 * {@value TraceGenerator#TARGET_LIVE} blocks live) replayed end to end through {@link TraceReplayer}, on a fresh
 * heap and allocator each time: what {@code emballoc replay} and every candidate of {@code emballoc size} pay,
 * without parsing and printing. The result is nanoseconds per trace operation (the replay's time divided by
 * {@value TraceGenerator#OPERATIONS}); the final walk that records the heap's entries is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TraceGenerator.OPERATIONS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ReplayBenchmark {

    /** This project's allocator. */
    @Param({"indexed-best", "indexed-first", "firstfit-best", "firstfit-first"})
    public String allocator;

    /** The heap ({@link Heaps}). */
    @Param({"array"})
    public String heap;

    private Trace trace;
    private Function<RawHeap, Allocator> build;
    private Heaps.Opened region;
    private Allocator fresh;

    /** Generates and parses the trace. */
    @Setup(Level.Trial)
    public void generate() {
        trace = TraceGenerator.trace(1);
        build = Subjects.emballoc(allocator, Sharing.CONFINED);
        if (build == null) {
            throw new IllegalArgumentException("'" + allocator + "' is not one of this project's allocators "
                    + Subjects.EMBALLOC);
        }
    }

    /** A zeroed heap and a new allocator for every replay, made outside the measured time. */
    @Setup(Level.Invocation)
    public void freshHeap() {
        region = Heaps.open(heap, trace.resolveHeapSize(OptionalInt.empty()));
        fresh = build.apply(region.heap());
    }

    /** Releases the heap of the last replay. */
    @TearDown(Level.Invocation)
    public void closeHeap() {
        region.close();
    }

    /**
     * Replays the whole trace.
     *
     * @return the outcome, so that nothing of the replay is optimised away
     */
    @Benchmark
    public ReplayResult replay() {
        return TraceReplayer.replay(trace, fresh);
    }
}
