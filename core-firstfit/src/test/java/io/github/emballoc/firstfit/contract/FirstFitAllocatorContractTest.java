package io.github.emballoc.firstfit.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;

/**
 * {@link FirstFitAllocator} runs the allocator and crash-consistency contracts in its four configurations on every standard
 * heap ({@link EveryConfigurationOnEveryHeap}).
 */
class FirstFitAllocatorContractTest extends EveryConfigurationOnEveryHeap {

    @Override
    protected Allocator build(RawHeap heap, Fit fit, Coalescing coalescing, CriticalSection section) {
        return FirstFitAllocator.builder(heap).fit(fit).coalescing(coalescing).criticalSection(section).build();
    }
}
