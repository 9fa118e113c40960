package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Threads sharing one allocator guarded by the chosen (CAS) section: each allocates, fills its blocks with
 * its own pattern, checks them and frees them, in random order. No block may be handed out twice (a
 * pattern overwritten by another thread), and the heap must be sound and empty of used blocks at the end.
 */
class ConcurrentUseTest {

    private static final int THREADS = 4;
    private static final int OPS = 25_000;

    @ParameterizedTest
    @EnumSource(Fit.class)
    @Timeout(120)
    void threadsSharingAnAllocatorNeverShareABlock(Fit fit) throws InterruptedException {
        RawHeap heap = RawHeaps.allocateDirect(1 << 16);
        FirstFitAllocator allocator = FirstFitAllocator.builder(heap).fit(fit).build();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            Thread thread = new Thread(() -> {
                long seed = 0xC0C0_0000L + id;
                try {
                    start.await();
                    run(allocator, heap, (byte) (id + 1), new SplittableRandom(seed));
                } catch (Throwable e) {
                    failure.compareAndSet(null, new AssertionError("thread " + id + " (seed " + seed + "): " + e, e));
                }
            }, "worker-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get().getMessage(), failure.get());
        }
        allocator.verify();
        assertEquals(0, allocator.stats().usedEntries());
    }

    private static void run(Allocator allocator, RawHeap heap, byte pattern, SplittableRandom random) {
        List<int[]> mine = new ArrayList<>();
        for (int i = 0; i < OPS; i++) {
            if (mine.isEmpty() || (mine.size() < 32 && random.nextBoolean())) {
                int size = 1 + random.nextInt(256);
                int handle = allocator.allocate(size, 1 << random.nextInt(5));
                if (handle != Allocator.NULL) {
                    heap.fill(handle, size, pattern);
                    mine.add(new int[] {handle, size});
                }
            } else {
                int[] block = mine.remove(random.nextInt(mine.size()));
                for (int b = 0; b < block[1]; b++) {
                    if (heap.getByte(block[0] + b) != pattern) {
                        fail("byte " + b + " of my block at " + block[0] + " was overwritten");
                    }
                }
                allocator.free(block[0]);
            }
        }
        for (int[] block : mine) {
            allocator.free(block[0]);
        }
    }
}
