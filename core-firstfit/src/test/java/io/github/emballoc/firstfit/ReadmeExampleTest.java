package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import org.junit.jupiter.api.Test;

/** The usage example of README.md, as written there, so that it keeps compiling and working. */
class ReadmeExampleTest {

    @Test
    void theReadmeUsageExampleWorks() {
        // --- README "Usage" begins
        RawHeap heap = RawHeaps.allocateDirect(4096);                       // or wrap(byte[]), map(Path, capacity)
        Allocator allocator = FirstFitAllocator.builder(heap).fit(Fit.BEST).build();
        int block = allocator.allocate(64, 8);                              // a payload offset, or Allocator.NULL
        heap.putLong(block, 42L);                                           // the caller writes through the heap
        allocator.free(block);
        // --- README "Usage" ends
        assertEquals(8, block);
        assertEquals(42L, heap.getLong(block));
        assertEquals(0, allocator.stats().usedEntries());
    }
}
