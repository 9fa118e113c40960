package io.github.emballoc.firstfit.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.testkit.AllocatorContract;
import io.github.emballoc.testkit.AllocatorFeature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both fits of {@link FirstFitAllocator} run {@link AllocatorContract} on every standard heap: a
 * {@code byte[]} in either byte order, a heap {@link ByteBuffer}, a direct buffer and a mapped file.
 */
class FirstFitAllocatorContractTest {

    /** What emballoc's algorithm offers beyond the interface's minimum (everything but merging backwards). */
    static final Set<AllocatorFeature> FEATURES = EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK,
            AllocatorFeature.ZERO_SIZE_FREEABLE, AllocatorFeature.EMBALLOC_IMAGE_FORMAT, AllocatorFeature.THREAD_SAFE);

    /**
     * The adapter shared by every heap type: a fit, the features, and the critical section users get by
     * default (the chosen provider: {@code cas}, as both lock modules are on the test class path).
     */
    abstract static class Adapter implements AllocatorContract {
        abstract Fit fit();

        @Override
        public Allocator newAllocator(RawHeap heap) {
            return FirstFitAllocator.builder(heap).fit(fit()).build();
        }

        @Override
        public Set<AllocatorFeature> features() {
            return FEATURES;
        }
    }

    @Nested
    class FirstFitByteArrayLittleEndian extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }
    }

    @Nested
    class BestFitByteArrayLittleEndian extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }
    }

    @Nested
    class FirstFitByteArrayBigEndian extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class BestFitByteArrayBigEndian extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class FirstFitHeapByteBuffer extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Nested
    class BestFitHeapByteBuffer extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN));
        }
    }

    @Nested
    class FirstFitDirect extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity);
        }
    }

    @Nested
    class BestFitDirect extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class FirstFitMappedFile extends Adapter {
        @TempDir
        Path directory;
        private int files;

        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            return RawHeaps.map(directory.resolve("heap-" + files++), capacity);
        }
    }

    @Nested
    class BestFitMappedFile extends Adapter {
        @TempDir
        Path directory;
        private int files;

        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            return RawHeaps.map(directory.resolve("heap-" + files++), capacity, ByteOrder.BIG_ENDIAN);
        }
    }
}
