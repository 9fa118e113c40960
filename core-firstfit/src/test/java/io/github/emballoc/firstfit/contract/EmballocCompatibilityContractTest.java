package io.github.emballoc.firstfit.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.testkit.EmballocCompatibilityContract;

/**
 * {@link FirstFitAllocator} with {@link Fit#BEST} replays emballoc's traces exactly, and with
 * {@link Fit#FIRST} the project's first-fit outputs.
 */
class EmballocCompatibilityContractTest implements EmballocCompatibilityContract {

    @Override
    public Allocator newBestFitAllocator(RawHeap heap) {
        return FirstFitAllocator.builder(heap).fit(Fit.BEST).build();
    }

    @Override
    public Allocator newFirstFitAllocator(RawHeap heap) {
        return FirstFitAllocator.builder(heap).fit(Fit.FIRST).build();
    }
}
