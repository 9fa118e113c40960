package io.github.emballoc.testkit.example;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.testkit.RawHeapContract;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Nested;

/** The README's "Test your own heap" example: a custom heap runs the contract, once per byte order. */
class IntArrayHeapContractTest {

    @Nested
    class LittleEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new IntArrayHeap(capacity, ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Nested
    class BigEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new IntArrayHeap(capacity, ByteOrder.BIG_ENDIAN);
        }
    }
}
