package io.github.emballoc.benchmarks;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.debug.LeakTracker;
import io.github.emballoc.api.debug.PoisoningAllocator;
import io.github.emballoc.api.trace.TraceRecorder;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each observing decorator adds to one allocate/free pair of a 64-byte block on a
 * {@link FirstFitAllocator} holding 32 live blocks (so that each operation walks a few entries), against the
 * bare allocator:
 *
 * <ul>
 *   <li>{@code bare}: the allocator alone;</li>
 *   <li>{@code leak-off}, {@code leak-sampled}, {@code leak-every}: {@link LeakTracker} at each level (sampled:
 *       one allocation in 128);</li>
 *   <li>{@code recording}: {@link TraceRecorder} writing to a writer that drops the text;</li>
 *   <li>{@code poisoning}: {@link PoisoningAllocator} with guards.</li>
 * </ul>
 *
 * A single-core critical section (no atomics) is used, so that what is measured is the decorators' own
 * work; it is made per iteration, owned by the iteration's thread.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecoratorBenchmark {

    /** Which decorator wraps the allocator. */
    @Param({"bare", "leak-off", "leak-sampled", "leak-every", "recording", "poisoning"})
    public String decorator;

    private Allocator allocator;
    private TraceRecorder recorder;

    /** A fresh heap with 32 live blocks of 16 to 47 bytes, wrapped in the decorator. */
    @Setup(Level.Iteration)
    public void build() throws IOException {
        FirstFitAllocator bare = FirstFitAllocator.builder(RawHeaps.allocate(1 << 16))
                .criticalSection(new SingleCoreCriticalSection()).build();
        recorder = null;
        switch (decorator) {
            case "bare" -> allocator = bare;
            case "leak-off" -> allocator = LeakTracker.track(bare, LeakTracker.Level.OFF);
            case "leak-sampled" -> allocator = LeakTracker.track(bare, LeakTracker.Level.SAMPLED);
            case "leak-every" -> allocator = LeakTracker.track(bare, LeakTracker.Level.EVERY);
            case "recording" -> {
                recorder = TraceRecorder.record(bare, Writer.nullWriter());
                allocator = recorder;
            }
            case "poisoning" -> allocator = PoisoningAllocator.poison(bare);
            default -> throw new IllegalArgumentException("unknown decorator " + decorator);
        }
        for (int i = 0; i < 32; i++) {
            allocator.allocate(16 + i);
        }
    }

    /** Ends a recording. */
    @TearDown(Level.Iteration)
    public void close() {
        if (recorder != null) {
            try {
                recorder.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One allocation and its free, after the 32 live blocks. */
    @Benchmark
    public int allocateAndFree() {
        int handle = allocator.allocate(64);
        allocator.free(handle);
        return handle;
    }
}
