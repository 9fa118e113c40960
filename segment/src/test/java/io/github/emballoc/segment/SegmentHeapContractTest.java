package io.github.emballoc.segment;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.testkit.RawHeapContract;
import io.github.emballoc.testkit.RawHeapFeature;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment heaps from every kind of arena and segment run {@link RawHeapContract}, with their views and their
 * read-only forms ({@link MemorySegment#asReadOnly()}, a file segment mapped read-only).
 */
class SegmentHeapContractTest {

    /** Every segment heap over a byte-addressable segment gives views; arenas opened here are closed after. */
    abstract static class Adapter implements RawHeapContract {
        final List<Arena> arenas = new ArrayList<>();

        Arena track(Arena arena) {
            arenas.add(arena);
            return arena;
        }

        @Override
        public Set<RawHeapFeature> features() {
            return EnumSet.of(RawHeapFeature.BYTE_BUFFER_VIEWS);
        }

        @AfterEach
        void closeArenas() {
            arenas.forEach(Arena::close);
        }
    }

    @Nested
    class SharedArenaLittleEndian extends Adapter {
        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(track(Arena.ofShared()), capacity);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            MemorySegment segment = track(Arena.ofShared()).allocate(content.length);
            segment.copyFrom(MemorySegment.ofArray(content));
            return SegmentHeaps.wrap(segment.asReadOnly());
        }
    }

    @Nested
    class ConfinedArenaBigEndian extends Adapter {
        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(track(Arena.ofConfined()), capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class AutomaticArena extends Adapter {
        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(Arena.ofAuto(), capacity, ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Nested
    class ArraySegmentBigEndian extends Adapter {
        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.wrap(MemorySegment.ofArray(new byte[capacity]), ByteOrder.BIG_ENDIAN);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            return SegmentHeaps.wrap(MemorySegment.ofArray(content).asReadOnly(), ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class SliceOfALargerSegment extends Adapter {
        @Override
        public RawHeap newHeap(int capacity) {
            // the heap must stop at the slice's edges, not the segment's
            MemorySegment larger = track(Arena.ofShared()).allocate(capacity + 24);
            return SegmentHeaps.wrap(larger.asSlice(8, capacity));
        }
    }

    @Nested
    class MappedFileSegment extends Adapter {
        @TempDir
        Path directory;
        private int files;

        private MemorySegment map(Path file, FileChannel.MapMode mode, long size, StandardOpenOption... options)
                throws IOException {
            try (FileChannel channel = FileChannel.open(file, options)) {
                return channel.map(mode, 0, size, track(Arena.ofShared()));
            }
        }

        @Override
        public RawHeap newHeap(int capacity) throws IOException {
            Path file = directory.resolve("heap-" + files++);
            return SegmentHeaps.wrap(map(file, FileChannel.MapMode.READ_WRITE, capacity, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) throws IOException {
            Path file = Files.write(directory.resolve("heap-" + files++), content);
            return SegmentHeaps.wrap(map(file, FileChannel.MapMode.READ_ONLY, content.length, StandardOpenOption.READ));
        }
    }
}
