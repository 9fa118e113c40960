package com.example;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.testkit.RawHeapContract;
import java.nio.ByteOrder;

/** A correct heap: under Surefire 2.12 the build must still fail, because none of its rules would run. */
public class MyHeapTest implements RawHeapContract {
    @Override
    public RawHeap newHeap(int capacity) {
        return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
    }
}
