package io.github.emballoc.benchmarks;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DurableAllocator;
import io.github.emballoc.api.MappedHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code force()} after every allocator operation costs on a memory-mapped heap: an allocate and a free
 * of 64 bytes (two operations, reported per operation) on a {@link FirstFitAllocator} over a
 * {@link MappedHeap}, plain ({@code durable=false}: what survives a process crash) and wrapped in a
 * {@link DurableAllocator} ({@code durable=true}: each operation is on the storage device before it returns,
 * which is what survives a power loss), for a small and a larger mapping.
 *
 * <p>The heap file lives in {@code -p dir=...} (default: the system's temporary directory); the figure is the
 * storage's {@code msync} latency, so run it on the file system the heaps will live on, on a quiet machine.
 * A {@code tmpfs} directory gives the cost of the call without a device.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DurableAllocatorBenchmark {

    /** Whether each operation is forced ({@link DurableAllocator}) or not. */
    @Param({"false", "true"})
    public boolean durable;

    /** The heap's capacity in bytes. */
    @Param({"65536", "16777216"})
    public int capacity;

    /** The directory of the heap file. */
    @Param({""})
    public String dir;

    private Path file;
    private MappedHeap heap;
    private Allocator allocator;

    /** Maps a new heap file (the one-thread section: this benchmark runs on one thread). */
    @Setup(Level.Trial)
    public void mapHeap() throws IOException {
        Path directory = dir.isEmpty() ? Paths.get(System.getProperty("java.io.tmpdir")) : Paths.get(dir);
        file = Files.createTempFile(directory, "durable-benchmark-", ".heap");
        Files.delete(file);
        heap = RawHeaps.map(file, capacity);
        Allocator plain = FirstFitAllocator.builder(heap).criticalSection(new SingleCoreCriticalSection()).build();
        allocator = durable ? DurableAllocator.of(plain) : plain;
    }

    /** Closes and deletes the heap file. */
    @TearDown(Level.Trial)
    public void deleteHeap() throws IOException {
        heap.close();
        Files.deleteIfExists(file);
    }

    /**
     * One allocate and one free, each forced when {@code durable}.
     *
     * @return the handle, so the JIT keeps the work
     */
    @Benchmark
    @OperationsPerInvocation(2)
    public int allocateAndFree() {
        int handle = allocator.allocate(64);
        allocator.free(handle);
        return handle;
    }
}
