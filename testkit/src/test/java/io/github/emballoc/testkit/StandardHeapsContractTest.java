package io.github.emballoc.testkit;

import io.github.emballoc.api.MappedHeap;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every standard heap of {@link RawHeaps}, in both byte orders, runs {@link RawHeapContract} (the api
 * module cannot depend on the test kit, so its heaps are checked here), with their views and, where they have
 * one, their read-only form: a read-only heap or direct buffer, and a file opened with
 * {@link RawHeaps#mapReadOnly(Path, ByteOrder)}.
 */
class StandardHeapsContractTest {

    /** Every standard heap gives {@link ByteBuffer} views. */
    abstract static class Standard implements RawHeapContract {
        @Override
        public Set<RawHeapFeature> features() {
            return EnumSet.of(RawHeapFeature.BYTE_BUFFER_VIEWS);
        }
    }

    /** A mapped heap: each heap maps a new file; the heaps are closed after each test. */
    abstract static class Mapped extends Standard {
        @TempDir
        Path directory;
        private int files;
        private final List<MappedHeap> open = new ArrayList<>();

        abstract ByteOrder order();

        Path nextFile() {
            return directory.resolve("heap-" + files++);
        }

        MappedHeap opened(MappedHeap heap) {
            open.add(heap);
            return heap;
        }

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            return opened(RawHeaps.map(nextFile(), capacity, order()));
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) throws Exception {
            return opened(RawHeaps.mapReadOnly(Files.write(nextFile(), content), order()));
        }

        @AfterEach
        void closeHeaps() throws IOException {
            for (MappedHeap heap : open) {
                heap.close();
            }
        }
    }

    @Nested
    class ByteArrayLittleEndian extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity);
        }
    }

    @Nested
    class ByteArrayBigEndian extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class WrappedByteArray extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(new byte[capacity], ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class HeapByteBufferSlice extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            // a window in the middle of a larger buffer: the heap must stop at the window's edges
            ByteBuffer buffer = ByteBuffer.allocate(capacity + 24).order(ByteOrder.BIG_ENDIAN);
            buffer.position(8).limit(8 + capacity);
            return RawHeaps.wrap(buffer);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            ByteBuffer buffer = ByteBuffer.allocate(content.length + 24).order(ByteOrder.BIG_ENDIAN);
            buffer.position(8);
            buffer.put(content).flip().position(8);
            return RawHeaps.wrap(buffer.asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN));
        }
    }

    @Nested
    class HeapByteBufferLittleEndian extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.wrap(ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN));
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            return RawHeaps.wrap(ByteBuffer.wrap(content).asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Nested
    class HeapByteBufferWithAnOrderGiven extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            // a fresh (big-endian) buffer, wrapped little-endian
            return RawHeaps.wrap(ByteBuffer.allocate(capacity), ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Nested
    class DirectLittleEndian extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            ByteBuffer direct = ByteBuffer.allocateDirect(content.length).put(content).flip();
            return RawHeaps.wrap(direct.asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Nested
    class DirectBigEndian extends Standard {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocateDirect(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class MappedLittleEndian extends Mapped {
        @Override
        ByteOrder order() {
            return ByteOrder.LITTLE_ENDIAN;
        }
    }

    @Nested
    class MappedBigEndian extends Mapped {
        @Override
        ByteOrder order() {
            return ByteOrder.BIG_ENDIAN;
        }
    }
}
