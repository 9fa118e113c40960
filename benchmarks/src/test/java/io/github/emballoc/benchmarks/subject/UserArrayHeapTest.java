package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.testkit.RawHeapContract;

/** The megamorphic benchmark's user heap keeps every promise of a heap. */
class UserArrayHeapTest implements RawHeapContract {
    @Override
    public RawHeap newHeap(int capacity) {
        return new UserArrayHeap(capacity);
    }
}
