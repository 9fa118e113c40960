package com.example;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.testkit.RawHeapContract;
import java.nio.ByteOrder;

class MyHeapTest implements RawHeapContract {
    @Override
    public RawHeap newHeap(int capacity) {
        return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
    }
}
