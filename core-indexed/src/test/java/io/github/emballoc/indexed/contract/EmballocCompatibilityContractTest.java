package io.github.emballoc.indexed.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.indexed.IndexedAllocator;
import io.github.emballoc.testkit.EmballocCompatibilityContract;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Nested;

/**
 * {@link IndexedAllocator} with {@link Fit#BEST} replays emballoc's traces exactly, and with {@link Fit#FIRST}
 * the project's first-fit outputs, on little- and big-endian heaps.
 */
class EmballocCompatibilityContractTest {

    @Nested
    class LittleEndian implements EmballocCompatibilityContract {
        @Override
        public Allocator newBestFitAllocator(RawHeap heap) {
            return IndexedAllocator.builder(heap).fit(Fit.BEST).build();
        }

        @Override
        public Allocator newFirstFitAllocator(RawHeap heap) {
            return IndexedAllocator.builder(heap).fit(Fit.FIRST).build();
        }
    }

    @Nested
    class BigEndian extends LittleEndian {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }
}
