package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.indexed.IndexedAllocator;
import io.github.emballoc.lock.cas.CasSpinLock;
import java.util.List;
import java.util.function.Function;

/**
 * The one place that turns a benchmark's {@code allocator} parameter into a {@link Subject}, so that every
 * benchmark, the footprint and the heap-efficiency programs measure the same configurations:
 *
 * <table>
 *   <caption>Allocator names</caption>
 *   <tr><th>name</th><th>allocator</th></tr>
 *   <tr><td>{@code firstfit-best}, {@code firstfit-first}</td><td>{@link FirstFitAllocator}, {@link Fit#BEST} or
 *       {@link Fit#FIRST}, forward coalescing, over the heap of the {@code heap} parameter ({@link Heaps})</td></tr>
 *   <tr><td>{@code onenio}, {@code onenio-mt}</td><td>one-nio's {@code Malloc}, {@code MallocMT}
 *       ({@link OneNioSubject})</td></tr>
 *   <tr><td>{@code offheapstore}</td><td>offheap-store's {@code IntegerBestFitAllocator}
 *       ({@link OffHeapStoreSubject})</td></tr>
 *   <tr><td>{@code netty}</td><td>Netty's {@code PooledByteBufAllocator} ({@link NettySubject})</td></tr>
 * </table>
 * The heap kind applies to this project's allocators only; each peer uses its own kind of memory.
 * A new strategy of this project is one more case in {@link #emballoc(String, Sharing)} and one more name in
 * {@link #EMBALLOC}.
 *
 * <p>Guarding: with {@link Sharing#CONFINED} this project's allocators get an {@link UnguardedSection} (no lock;
 * one thread); with {@link Sharing#SHARED} a {@link CasSpinLock}. See {@link Sharing} for the peers.
 *
 * <p>Stateless; any thread.
 */
public final class Subjects {

    /** This project's allocators, in the order the tables list them. */
    public static final List<String> EMBALLOC = List.of("indexed-best", "indexed-first", "firstfit-best", "firstfit-first");

    /** The peers, in the order the tables list them ({@code onenio-mt} only in the contended table). */
    public static final List<String> PEERS = List.of("onenio", "onenio-mt", "offheapstore", "netty");

    private Subjects() {
    }

    /**
     * Makes a subject over a new region.
     *
     * @param allocator an allocator name (see the class description)
     * @param heapKind the heap kind for this project's allocators, one of {@link Heaps#KINDS}
     * @param region the region's size in bytes: a power of two from 32 KiB to 1 GiB serves every allocator
     * @param slots how many slots
     * @param sharing one thread, or several
     * @return the subject, with nothing allocated
     * @throws IllegalArgumentException if {@code allocator} or {@code heapKind} is unknown (the message lists the
     *     known names), or an allocator cannot take a region of that size
     */
    public static Subject create(String allocator, String heapKind, int region, int slots, Sharing sharing) {
        Function<RawHeap, Allocator> build = emballoc(allocator, sharing);
        if (build != null) {
            return new EmballocSubject(Heaps.open(heapKind, region), build, slots);
        }
        switch (allocator) {
            case "onenio":
                return new OneNioSubject(region, false, slots);
            case "onenio-mt":
                return new OneNioSubject(region, true, slots);
            case "offheapstore": {
                Subject subject = new OffHeapStoreSubject(region, slots);
                return sharing == Sharing.SHARED ? new SynchronizedSubject(subject) : subject;
            }
            case "netty":
                return new NettySubject(region, slots);
            default:
                throw new IllegalArgumentException("unknown allocator '" + allocator + "'; known: " + EMBALLOC
                        + " and " + PEERS);
        }
    }

    /**
     * Returns how to build one of this project's allocators over a heap.
     *
     * @param allocator an allocator name
     * @param sharing decides the critical section each built allocator gets (a new one per allocator)
     * @return the builder, or {@code null} when {@code allocator} is not one of {@link #EMBALLOC}
     */
    public static Function<RawHeap, Allocator> emballoc(String allocator, Sharing sharing) {
        switch (allocator) {
            case "indexed-best":
                return heap -> IndexedAllocator.builder(heap).fit(Fit.BEST).criticalSection(section(sharing))
                        .build();
            case "indexed-first":
                return heap -> IndexedAllocator.builder(heap).fit(Fit.FIRST).criticalSection(section(sharing))
                        .build();
            case "firstfit-best":
                return heap -> FirstFitAllocator.builder(heap).fit(Fit.BEST).criticalSection(section(sharing))
                        .build();
            case "firstfit-first":
                return heap -> FirstFitAllocator.builder(heap).fit(Fit.FIRST).criticalSection(section(sharing))
                        .build();
            default:
                return null;
        }
    }

    private static CriticalSection section(Sharing sharing) {
        return sharing == Sharing.SHARED ? new CasSpinLock() : new UnguardedSection();
    }
}
