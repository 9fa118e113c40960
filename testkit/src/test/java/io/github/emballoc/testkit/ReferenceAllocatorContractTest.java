package io.github.emballoc.testkit;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The test kit's own reference allocator passes the contracts it is used to break: evidence that the
 * contracts accept a correct entry allocator, and that the bundled traces hold emballoc's algorithm.
 */
class ReferenceAllocatorContractTest {

    static final Set<AllocatorFeature> FEATURES = EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK,
            AllocatorFeature.ZERO_SIZE_FREEABLE, AllocatorFeature.EMBALLOC_IMAGE_FORMAT, AllocatorFeature.THREAD_SAFE);

    @Nested
    class FirstFit implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false);
        }

        @Override
        public Set<AllocatorFeature> features() {
            return FEATURES;
        }
    }

    @Nested
    class BestFitBigEndian implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true);
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }

        @Override
        public Set<AllocatorFeature> features() {
            return FEATURES;
        }
    }

    @Nested
    class Compatibility implements EmballocCompatibilityContract {
        @Override
        public Allocator newBestFitAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true);
        }

        @Override
        public Allocator newFirstFitAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false);
        }
    }
}
