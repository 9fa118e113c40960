package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.testkit.RawHeapContract;

/** The forwarding heap keeps every promise of the heap it forwards to. */
class ForwardingHeapTest implements RawHeapContract {
    @Override
    public RawHeap newHeap(int capacity) {
        return new ForwardingHeap(RawHeaps.allocateDirect(capacity));
    }
}
