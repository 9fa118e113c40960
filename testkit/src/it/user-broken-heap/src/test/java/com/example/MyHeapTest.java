package com.example;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.testkit.RawHeapContract;

/** A broken heap: 8 bytes larger than asked for. The contract must fail the build. */
class MyHeapTest implements RawHeapContract {
    @Override
    public RawHeap newHeap(int capacity) {
        return RawHeaps.allocate(capacity + 8);
    }
}
