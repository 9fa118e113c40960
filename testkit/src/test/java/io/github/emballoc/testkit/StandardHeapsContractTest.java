package io.github.emballoc.testkit;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every standard heap of {@link RawHeaps}, in both byte orders, runs {@link RawHeapContract} (the api
 * module cannot depend on the test kit, so its heaps are checked here).
 */
class StandardHeapsContractTest {

    @Nested
    class ByteArrayLittleEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity);
        }
    }

    @Nested
    class ByteArrayBigEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class WrappedByteArray implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(new byte[capacity], ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class HeapByteBufferSlice implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            // a window in the middle of a larger buffer: the heap must stop at the window's edges
            ByteBuffer buffer = ByteBuffer.allocate(capacity + 24).order(ByteOrder.BIG_ENDIAN);
            buffer.position(8).limit(8 + capacity);
            return RawHeaps.wrap(buffer);
        }
    }

    @Nested
    class HeapByteBufferLittleEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Nested
    class DirectLittleEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity);
        }
    }

    @Nested
    class DirectBigEndian implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class MappedLittleEndian implements RawHeapContract {
        @TempDir
        Path directory;
        private int files;

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            return RawHeaps.map(directory.resolve("heap-" + files++), capacity);
        }
    }

    @Nested
    class MappedBigEndian implements RawHeapContract {
        @TempDir
        Path directory;
        private int files;

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            return RawHeaps.map(directory.resolve("heap-" + files++), capacity, ByteOrder.BIG_ENDIAN);
        }
    }
}
