package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot paths allocate no objects: {@code allocate} and {@code free} (header reads and writes included)
 * are run many times after warming up, and the thread's allocated-bytes counter must not move. Measured
 * with HotSpot's per-thread allocation counter, so it is skipped on a JVM without one.
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

    @ParameterizedTest
    @EnumSource(HeapKind.class)
    void allocateAndFreeAllocateNoObjects(HeapKind kind) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        RawHeap heap = switch (kind) {
            case ARRAY_LE -> RawHeaps.allocate(1 << 16);
            case ARRAY_BE -> RawHeaps.allocate(1 << 16, java.nio.ByteOrder.BIG_ENDIAN);
            case DIRECT -> RawHeaps.allocateDirect(1 << 16);
        };
        for (Fit fit : Fit.values()) {
            heap.putInt(0, 0);
            FirstFitAllocator allocator = FirstFitAllocator.builder(heap).fit(fit)
                    .criticalSection(new CountingSection()).build();
            int[] handles = new int[64];
            churn(allocator, handles, 20_000); // warm up: class loading, JIT, VarHandle linkage
            long id = Thread.currentThread().getId();
            long before = counter.getThreadAllocatedBytes(id);
            churn(allocator, handles, 20_000);
            long after = counter.getThreadAllocatedBytes(id);
            // the counter call itself is allowed a few bytes on some JVMs; an object per operation would be
            // at least 16 bytes x 40,000 operations
            assertEquals(0, Math.max(0, after - before - 64), fit + " on " + kind + ": " + (after - before)
                    + " bytes allocated by 40,000 operations");
        }
    }

    private static void churn(FirstFitAllocator allocator, int[] handles, int rounds) {
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
