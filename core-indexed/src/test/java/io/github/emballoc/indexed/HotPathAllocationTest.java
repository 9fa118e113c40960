package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot paths allocate no objects: {@code allocate} and {@code free} (index updates, header reads and writes
 * included) are run many times after a warm-up that lets the index reach its highest number of entries, and the
 * thread's allocated-bytes counter must not move. Two workloads: a small one with random alignments and frees
 * inside blocks (as core-firstfit's test), and a steady churn of 2,000 live blocks of 8 to 256 bytes (the
 * benchmark's), where the best-fit heaps see thousands of pushes, pops and compactions. Measured with HotSpot's
 * per-thread allocation counter, so it is skipped on a JVM without one; a window that allocates nothing must come
 * within five.
 */
class HotPathAllocationTest {

    enum HeapKind { ARRAY_LE, ARRAY_BE, DIRECT }

    /** A section that allocates nothing itself, so only the allocator is measured. */
    private static final class CountingSection implements CriticalSection {
        int depth;

        @Override
        public void enter() {
            if (depth++ != 0) {
                throw new IllegalStateException("re-entered");
            }
        }

        @Override
        public void exit() {
            if (--depth != 0) {
                throw new IllegalStateException("unpaired exit");
            }
        }
    }

    private static com.sun.management.ThreadMXBean counter() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        return counter;
    }

    private static RawHeap heap(HeapKind kind, int capacity) {
        return switch (kind) {
            case ARRAY_LE -> RawHeaps.allocate(capacity);
            case ARRAY_BE -> RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
            case DIRECT -> RawHeaps.allocateDirect(capacity);
        };
    }

    @ParameterizedTest
    @EnumSource(HeapKind.class)
    void allocateAndFreeAllocateNoObjects(HeapKind kind) {
        com.sun.management.ThreadMXBean counter = counter();
        RawHeap heap = heap(kind, 1 << 16);
        for (Fit fit : Fit.values()) {
            for (Coalescing coalescing : Coalescing.values()) {
                heap.putInt(0, 0);
                IndexedAllocator allocator = IndexedAllocator.builder(heap).fit(fit).coalescing(coalescing)
                        .criticalSection(new CountingSection()).build();
                int[] handles = new int[64];
                smallChurn(allocator, handles, 200_000); // warm up: class loading, JIT, the index's arrays
                String figures = windows(counter, () -> smallChurn(allocator, handles, 40_000));
                assertEquals("", figures, fit + " " + coalescing + " on " + kind + ": bytes allocated by each window"
                        + " of 40,000 operations");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fit.class)
    void steadyChurnOfTwoThousandBlocksAllocatesNoObjects(Fit fit) {
        com.sun.management.ThreadMXBean counter = counter();
        int live = 2000;
        IndexedAllocator allocator = IndexedAllocator.builder(RawHeaps.allocate(live * 300)).fit(fit)
                .criticalSection(new CountingSection()).build();
        SplittableRandom random = new SplittableRandom(0xC4A2);
        int[] handles = new int[live];
        for (int i = 0; i < live; i++) {
            handles[i] = allocator.allocate(8 + random.nextInt(249));
        }
        int[] sizes = new int[1 << 16];
        int[] victims = new int[1 << 16];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 8 + random.nextInt(249);
            victims[i] = random.nextInt(live);
        }
        churn(allocator, handles, sizes, victims, 400_000); // the index reaches its highs
        String figures = windows(counter, () -> churn(allocator, handles, sizes, victims, 200_000));
        assertEquals("", figures, fit + ": bytes allocated by each window of 200,000 allocate+free pairs");
        allocator.verify();
    }

    /**
     * Runs {@code work} in up to five windows and returns "" as soon as one allocates nothing, else the bytes of
     * every window. An object per operation would show in every window (16 bytes times the operations); a late
     * JIT recompilation on a loaded machine (which may materialise an object once) shows in one. The counter call
     * itself is allowed a few bytes on some JVMs.
     */
    private static String windows(com.sun.management.ThreadMXBean counter, Runnable work) {
        long id = Thread.currentThread().getId();
        StringBuilder figures = new StringBuilder();
        for (int window = 0; window < 5; window++) {
            long before = counter.getThreadAllocatedBytes(id);
            work.run();
            long bytes = counter.getThreadAllocatedBytes(id) - before;
            if (bytes <= 64) {
                return "";
            }
            figures.append(bytes).append(' ');
        }
        return figures.toString().trim();
    }

    private static void churn(IndexedAllocator allocator, int[] handles, int[] sizes, int[] victims, int pairs) {
        int mask = sizes.length - 1;
        for (int i = 0; i < pairs; i++) {
            int victim = victims[i & mask];
            allocator.free(handles[victim]);
            handles[victim] = allocator.allocate(sizes[(i * 7) & mask]);
        }
    }

    private static void smallChurn(IndexedAllocator allocator, int[] handles, int rounds) {
        int seed = 12345;
        for (int i = 0; i < rounds; i++) {
            seed = seed * 1_103_515_245 + 12_345;
            int slot = (seed >>> 16) & 63;
            if (handles[slot] > 0) {
                allocator.free(handles[slot] + ((seed >>> 8) & 3));
                handles[slot] = 0;
            } else {
                int size = (seed >>> 20) & 511;
                int align = 1 << ((seed >>> 4) & 7);
                int handle = allocator.allocate(size, align);
                handles[slot] = handle > 0 ? handle : 0;
            }
        }
    }
}
