package io.github.emballoc.indexed.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.contract.EveryConfigurationOnEveryHeap;
import io.github.emballoc.indexed.IndexedAllocator;

/**
 * {@link IndexedAllocator} runs the allocator and crash-consistency contracts in its four configurations on every standard
 * heap ({@link EveryConfigurationOnEveryHeap}).
 */
class IndexedAllocatorContractTest extends EveryConfigurationOnEveryHeap {

    @Override
    protected Allocator build(RawHeap heap, Fit fit, Coalescing coalescing, CriticalSection section) {
        return IndexedAllocator.builder(heap).fit(fit).coalescing(coalescing).criticalSection(section).build();
    }
}
