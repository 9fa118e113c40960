package io.github.emballoc.segment;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.indexed.IndexedAllocator;
import io.github.emballoc.testkit.AllocatorContract;
import io.github.emballoc.testkit.AllocatorFeature;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 * {@link FirstFitAllocator} and {@link IndexedAllocator}, both fits, run {@link AllocatorContract} on segment
 * heaps: native memory of a shared arena (closed after each test), of an automatic arena, an array segment, and
 * a mapped file segment. Thread safety is declared: these arenas admit every thread.
 */
class SegmentAllocatorContractTest {

    /** What both strategies declare in their own contract tests (forward coalescing). */
    static final Set<AllocatorFeature> FEATURES = EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK,
            AllocatorFeature.ZERO_SIZE_FREEABLE, AllocatorFeature.EMBALLOC_IMAGE_FORMAT, AllocatorFeature.THREAD_SAFE,
            AllocatorFeature.BOUNDED_VIEWS, AllocatorFeature.OPERATION_COUNTS);

    abstract static class Adapter implements AllocatorContract {
        final List<Arena> arenas = new ArrayList<>();

        abstract Fit fit();

        /** Whether the adapter builds an {@link IndexedAllocator} rather than a {@link FirstFitAllocator}. */
        boolean indexed() {
            return false;
        }

        Arena shared() {
            Arena arena = Arena.ofShared();
            arenas.add(arena);
            return arena;
        }

        @Override
        public Allocator newAllocator(RawHeap heap) {
            return indexed() ? IndexedAllocator.builder(heap).fit(fit()).build()
                    : FirstFitAllocator.builder(heap).fit(fit()).build();
        }

        @Override
        public Set<AllocatorFeature> features() {
            return FEATURES;
        }

        @AfterEach
        void closeArenas() {
            arenas.forEach(Arena::close);
        }
    }

    @Nested
    class FirstFitSharedArena extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(shared(), capacity);
        }
    }

    @Nested
    class BestFitSharedArenaBigEndian extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(shared(), capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    @Nested
    class FirstFitAutomaticArena extends Adapter {
        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.allocate(Arena.ofAuto(), capacity);
        }
    }

    @Nested
    class BestFitArraySegment extends Adapter {
        @Override
        Fit fit() {
            return Fit.BEST;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return SegmentHeaps.wrap(MemorySegment.ofArray(new byte[capacity]));
        }
    }

    @Nested
    class FirstFitMappedFileSegment extends Adapter {
        @TempDir
        Path directory;
        private int files;

        @Override
        Fit fit() {
            return Fit.FIRST;
        }

        @Override
        public RawHeap newHeap(int capacity) throws Exception {
            try (FileChannel channel = FileChannel.open(directory.resolve("heap-" + files++),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return SegmentHeaps.wrap(channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity, shared()));
            }
        }
    }

    @Nested
    class IndexedBestFitSharedArena extends BestFitSharedArenaBigEndian {
        @Override
        boolean indexed() {
            return true;
        }
    }

    @Nested
    class IndexedFirstFitAutomaticArena extends FirstFitAutomaticArena {
        @Override
        boolean indexed() {
            return true;
        }
    }

    @Nested
    class IndexedFirstFitMappedFileSegment extends FirstFitMappedFileSegment {
        @Override
        boolean indexed() {
            return true;
        }
    }
}
