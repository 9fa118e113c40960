package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import org.junit.jupiter.api.Test;

/** The artifacts the BOM resolved work together: an allocator on the critical section lock-cas provides. */
class AllocateAndFreeTest {

    @Test
    void theCasProviderIsFoundOnTheClassPath() {
        assertEquals("cas", CriticalSections.chosen().name());
    }

    @Test
    void aBlockIsAllocatedWrittenAndFreed() {
        RawHeap heap = RawHeaps.allocate(256);
        Allocator allocator = FirstFitAllocator.create(heap);
        int block = allocator.allocate(64, 8);
        assertNotEquals(Allocator.NULL, block, "allocate(64, 8) on an empty heap of 256 bytes");
        heap.putLong(block, 42L);
        assertEquals(42L, heap.getLong(block));
        HeapStats used = allocator.stats();
        assertEquals(1, used.usedEntries(), "used entries after one allocation: " + used);
        allocator.free(block);
        HeapStats freed = allocator.stats();
        assertEquals(0, freed.usedEntries(), "used entries after freeing it: " + freed);
        assertEquals(1, freed.freeEntries(), "the freed block merged with the free rest: " + freed);
    }
}
