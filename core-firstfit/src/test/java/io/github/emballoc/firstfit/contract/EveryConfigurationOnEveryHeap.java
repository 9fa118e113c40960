package io.github.emballoc.firstfit.contract;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.testkit.AllocatorContract;
import io.github.emballoc.testkit.AllocatorFeature;
import io.github.emballoc.testkit.CrashConsistencyContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link AllocatorContract} and {@link CrashConsistencyContract} on one of this project's allocators in each
 * of its four configurations (both fits, both coalescing modes) on every standard heap: a {@code byte[]} in either
 * byte order, a heap {@link ByteBuffer}, a direct buffer and a mapped file. Each heap is a nested class whose four
 * nested classes are the configurations; a strategy's test extends this class and builds its allocator
 * ({@code FirstFitAllocatorContractTest}, and {@code IndexedAllocatorContractTest} in core-indexed, through this
 * module's test jar).
 */
public abstract class EveryConfigurationOnEveryHeap {

    /**
     * The provider users get by default ({@code cas}, as both lock modules are on the test class path), chosen once:
     * the crash contract builds an allocator for every prefix of every operation it checks.
     */
    private static final CriticalSectionProvider DEFAULT_SECTIONS = CriticalSections.chosen();

    /**
     * Builds the allocator under test.
     *
     * @param heap the heap
     * @param fit the fit of this configuration
     * @param coalescing the coalescing of this configuration
     * @param section the critical section to guard it with
     * @return the allocator
     */
    protected abstract Allocator build(RawHeap heap, Fit fit, Coalescing coalescing, CriticalSection section);

    /** What emballoc's algorithm offers beyond the interface's minimum, in either coalescing mode. */
    static final Set<AllocatorFeature> FEATURES = EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK,
            AllocatorFeature.ZERO_SIZE_FREEABLE, AllocatorFeature.EMBALLOC_IMAGE_FORMAT, AllocatorFeature.THREAD_SAFE,
            AllocatorFeature.BOUNDED_VIEWS, AllocatorFeature.OPERATION_COUNTS);

    /**
     * The features of a configuration: {@link AllocatorFeature#COALESCES_FULLY} is declared by
     * {@link Coalescing#BOTH} and not by {@link Coalescing#FORWARD}, which leaves free neighbours (emballoc's rule).
     */
    static Set<AllocatorFeature> features(Coalescing coalescing) {
        Set<AllocatorFeature> features = EnumSet.copyOf(FEATURES);
        if (coalescing == Coalescing.BOTH) {
            features.add(AllocatorFeature.COALESCES_FULLY);
        }
        return features;
    }

    /** One standard heap; its four nested classes run the contract in the four configurations. */
    abstract class OnHeap {
        abstract RawHeap heap(int capacity) throws Exception;

        /** The adapter of one configuration, with a critical section of the provider users get by default. */
        abstract class Configuration implements AllocatorContract, CrashConsistencyContract {
            private final Fit fit;
            private final Coalescing coalescing;

            Configuration(Fit fit, Coalescing coalescing) {
                this.fit = fit;
                this.coalescing = coalescing;
            }

            @Override
            public Allocator newAllocator(RawHeap heap) {
                return build(heap, fit, coalescing, DEFAULT_SECTIONS.create());
            }

            @Override
            public RawHeap newHeap(int capacity) throws Exception {
                return heap(capacity);
            }

            @Override
            public Set<AllocatorFeature> features() {
                return EveryConfigurationOnEveryHeap.features(coalescing);
            }
        }
    }

    @Nested
    class ByteArrayLittleEndian extends OnHeap {
        @Override
        RawHeap heap(int capacity) {
            return RawHeaps.allocate(capacity);
        }

        @Nested
        class FirstFitForward extends Configuration {
            FirstFitForward() {
                super(Fit.FIRST, Coalescing.FORWARD);
            }
        }

        @Nested
        class FirstFitBoth extends Configuration {
            FirstFitBoth() {
                super(Fit.FIRST, Coalescing.BOTH);
            }
        }

        @Nested
        class BestFitForward extends Configuration {
            BestFitForward() {
                super(Fit.BEST, Coalescing.FORWARD);
            }
        }

        @Nested
        class BestFitBoth extends Configuration {
            BestFitBoth() {
                super(Fit.BEST, Coalescing.BOTH);
            }
        }
    }

    @Nested
    class ByteArrayBigEndian extends OnHeap {
        @Override
        RawHeap heap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }

        @Nested
        class FirstFitForward extends Configuration {
            FirstFitForward() {
                super(Fit.FIRST, Coalescing.FORWARD);
            }
        }

        @Nested
        class FirstFitBoth extends Configuration {
            FirstFitBoth() {
                super(Fit.FIRST, Coalescing.BOTH);
            }
        }

        @Nested
        class BestFitForward extends Configuration {
            BestFitForward() {
                super(Fit.BEST, Coalescing.FORWARD);
            }
        }

        @Nested
        class BestFitBoth extends Configuration {
            BestFitBoth() {
                super(Fit.BEST, Coalescing.BOTH);
            }
        }
    }

    @Nested
    class HeapByteBuffer extends OnHeap {
        @Override
        RawHeap heap(int capacity) {
            return RawHeaps.wrap(ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN));
        }

        @Nested
        class FirstFitForward extends Configuration {
            FirstFitForward() {
                super(Fit.FIRST, Coalescing.FORWARD);
            }
        }

        @Nested
        class FirstFitBoth extends Configuration {
            FirstFitBoth() {
                super(Fit.FIRST, Coalescing.BOTH);
            }
        }

        @Nested
        class BestFitForward extends Configuration {
            BestFitForward() {
                super(Fit.BEST, Coalescing.FORWARD);
            }
        }

        @Nested
        class BestFitBoth extends Configuration {
            BestFitBoth() {
                super(Fit.BEST, Coalescing.BOTH);
            }
        }
    }

    @Nested
    class Direct extends OnHeap {
        @Override
        RawHeap heap(int capacity) {
            return RawHeaps.allocateDirect(capacity);
        }

        @Nested
        class FirstFitForward extends Configuration {
            FirstFitForward() {
                super(Fit.FIRST, Coalescing.FORWARD);
            }
        }

        @Nested
        class FirstFitBoth extends Configuration {
            FirstFitBoth() {
                super(Fit.FIRST, Coalescing.BOTH);
            }
        }

        @Nested
        class BestFitForward extends Configuration {
            BestFitForward() {
                super(Fit.BEST, Coalescing.FORWARD);
            }
        }

        @Nested
        class BestFitBoth extends Configuration {
            BestFitBoth() {
                super(Fit.BEST, Coalescing.BOTH);
            }
        }
    }

    @Nested
    class MappedFile extends OnHeap {
        @TempDir
        Path directory;
        private int files;

        @Override
        RawHeap heap(int capacity) throws Exception {
            return RawHeaps.map(directory.resolve("heap-" + files++), capacity, ByteOrder.BIG_ENDIAN);
        }

        @Nested
        class FirstFitForward extends Configuration {
            FirstFitForward() {
                super(Fit.FIRST, Coalescing.FORWARD);
            }
        }

        @Nested
        class FirstFitBoth extends Configuration {
            FirstFitBoth() {
                super(Fit.FIRST, Coalescing.BOTH);
            }
        }

        @Nested
        class BestFitForward extends Configuration {
            BestFitForward() {
                super(Fit.BEST, Coalescing.FORWARD);
            }
        }

        @Nested
        class BestFitBoth extends Configuration {
            BestFitBoth() {
                super(Fit.BEST, Coalescing.BOTH);
            }
        }
    }
}
