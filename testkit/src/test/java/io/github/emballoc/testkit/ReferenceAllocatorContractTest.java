package io.github.emballoc.testkit;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The test kit's own reference allocator passes the contracts it is used to break: evidence that the
 * contracts accept a correct entry allocator in both coalescing modes, and that the bundled traces hold
 * emballoc's algorithm.
 */
class ReferenceAllocatorContractTest {

    static final Set<AllocatorFeature> FEATURES = EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK,
            AllocatorFeature.ZERO_SIZE_FREEABLE, AllocatorFeature.EMBALLOC_IMAGE_FORMAT, AllocatorFeature.THREAD_SAFE,
            AllocatorFeature.BOUNDED_VIEWS, AllocatorFeature.OPERATION_COUNTS);

    /** {@link #FEATURES} and {@link AllocatorFeature#COALESCES_FULLY}, which {@link Coalescing#BOTH} has. */
    static final Set<AllocatorFeature> BOTH_FEATURES = with(FEATURES, AllocatorFeature.COALESCES_FULLY);

    static Set<AllocatorFeature> with(Set<AllocatorFeature> features, AllocatorFeature feature) {
        Set<AllocatorFeature> all = EnumSet.copyOf(features);
        all.add(feature);
        return all;
    }

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
    class FirstFitBoth implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false, Coalescing.BOTH);
        }

        @Override
        public Set<AllocatorFeature> features() {
            return BOTH_FEATURES;
        }
    }

    @Nested
    class BestFitBoth implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true, Coalescing.BOTH);
        }

        @Override
        public Set<AllocatorFeature> features() {
            return BOTH_FEATURES;
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

    @Nested
    class CrashFirstFitForward implements CrashConsistencyContract {
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
    class CrashBestFitBothBigEndian implements CrashConsistencyContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true, Coalescing.BOTH);
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
}
