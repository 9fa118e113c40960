package io.github.emballoc.firstfit.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DurableAllocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.testkit.AllocatorContract;
import io.github.emballoc.testkit.AllocatorFeature;
import java.util.Set;

/**
 * A {@link DurableAllocator} around {@link FirstFitAllocator} keeps every promise of the allocator it wraps:
 * it runs {@link AllocatorContract} with the same features (over a heap in memory, where {@code force()} does
 * nothing, so that the contract's many operations are not each written to a disk).
 */
class DurableAllocatorContractTest implements AllocatorContract {

    @Override
    public Allocator newAllocator(RawHeap heap) {
        return DurableAllocator.of(FirstFitAllocator.builder(heap).fit(Fit.BEST).build());
    }

    @Override
    public Set<AllocatorFeature> features() {
        return EveryConfigurationOnEveryHeap.FEATURES;
    }
}
