package io.github.emballoc.micrometer;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.OperationCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the metrics of one emballoc {@link Allocator} to a Micrometer {@link MeterRegistry}:
 *
 * <pre>{@code
 * Allocator allocator = FirstFitAllocator.create(heap);
 * new EmballocMetrics(allocator, Tags.of("heap", "sessions")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@code emballoc.heap.capacity}</td><td>gauge, bytes</td><td>{@link HeapStats#capacity()}</td></tr>
 *   <tr><td>{@code emballoc.heap.used}</td><td>gauge, bytes</td><td>{@link HeapStats#usedBytes()}: payload of the
 *       used blocks</td></tr>
 *   <tr><td>{@code emballoc.heap.free}</td><td>gauge, bytes</td><td>{@link HeapStats#freeBytes()}: payload of
 *       the free entries</td></tr>
 *   <tr><td>{@code emballoc.heap.entries}, tag {@code state=used|free}</td><td>gauge</td>
 *       <td>{@link HeapStats#usedEntries()}, {@link HeapStats#freeEntries()}</td></tr>
 *   <tr><td>{@code emballoc.heap.largest.free}</td><td>gauge, bytes</td><td>{@link HeapStats#largestFree()}: the
 *       largest request (unaligned) that can succeed</td></tr>
 *   <tr><td>{@code emballoc.heap.fragmentation}</td><td>gauge, 0 to 1</td>
 *       <td>{@link HeapStats#fragmentation()}: {@code 1 - largestFree / freeBytes}</td></tr>
 *   <tr><td>{@code emballoc.allocations}</td><td>function counter</td>
 *       <td>{@link OperationCounts#allocations()}</td></tr>
 *   <tr><td>{@code emballoc.allocations.failed}</td><td>function counter</td>
 *       <td>{@link OperationCounts#failedAllocations()}</td></tr>
 *   <tr><td>{@code emballoc.frees}</td><td>function counter</td><td>{@link OperationCounts#frees()}</td></tr>
 *   <tr><td>{@code emballoc.reallocations}</td><td>function counter</td>
 *       <td>{@link OperationCounts#reallocations()}</td></tr>
 * </table>
 *
 * Every meter carries the tags given. The counters are bound only if the allocator keeps counts
 * ({@link Allocator#counts()} does not throw); the allocators of this project count inside their critical
 * section at no measurable cost, and so do the decorators that pass {@code counts()} on.
 *
 * <h2>What a read costs</h2>
 * Each gauge read calls {@link Allocator#stats()} once: on {@code FirstFitAllocator} that is a walk of the
 * heap inside its critical section, O(entries), so a registry that publishes the six gauges walks the heap
 * six times (for 10,000 entries, some tens of microseconds each, during which allocations wait); on
 * {@code IndexedAllocator}, whose index keeps the figures, it is O(1). A counter read calls
 * {@link Allocator#counts()}: O(1) inside the critical section.
 *
 * <p>As Micrometer's own binders do, the registry holds the allocator weakly: keep a reference to it for as
 * long as it is measured; once it is collected, its gauges read {@code NaN}.
 *
 * <p>Threads: {@link #bindTo} may be called from any thread, for any number of registries; the meters read
 * the allocator from whichever thread publishes, which the allocator's critical section allows.
 */
public final class EmballocMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(EmballocMetrics.class);

    private final Allocator allocator;
    private final Tags tags;

    /**
     * Measures {@code allocator} with no tags.
     *
     * @param allocator the allocator
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public EmballocMetrics(Allocator allocator) {
        this(allocator, Tags.empty());
    }

    /**
     * Measures {@code allocator}, tagging every meter with {@code tags} (for example the heap's name, to tell
     * several heaps apart).
     *
     * @param allocator the allocator
     * @param tags the tags of every meter
     * @throws NullPointerException if an argument is {@code null}
     */
    public EmballocMetrics(Allocator allocator, Iterable<Tag> tags) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the gauges, and the counters if the allocator keeps counts.
     *
     * @param registry the registry
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        gauge(registry, "emballoc.heap.capacity", "The heap's size", BaseUnits.BYTES, Tags.empty(),
                a -> a.stats().capacity());
        gauge(registry, "emballoc.heap.used", "Payload bytes of the used blocks", BaseUnits.BYTES, Tags.empty(),
                a -> a.stats().usedBytes());
        gauge(registry, "emballoc.heap.free", "Payload bytes of the free entries", BaseUnits.BYTES, Tags.empty(),
                a -> a.stats().freeBytes());
        gauge(registry, "emballoc.heap.entries", "Entries of the heap, used or free", null, Tags.of("state", "used"),
                a -> a.stats().usedEntries());
        gauge(registry, "emballoc.heap.entries", "Entries of the heap, used or free", null, Tags.of("state", "free"),
                a -> a.stats().freeEntries());
        gauge(registry, "emballoc.heap.largest.free", "Payload bytes of the largest free entry", BaseUnits.BYTES,
                Tags.empty(), a -> a.stats().largestFree());
        gauge(registry, "emballoc.heap.fragmentation", "1 - largest free entry / free bytes (0 when nothing is free)",
                null, Tags.empty(), a -> a.stats().fragmentation());
        try {
            allocator.counts();
        } catch (UnsupportedOperationException e) {
            LOG.debug("{} keeps no operation counts: binding gauges only", allocator);
            return;
        }
        counter(registry, "emballoc.allocations", "Successful allocations", a -> a.counts().allocations());
        counter(registry, "emballoc.allocations.failed", "Allocations that found no free entry",
                a -> a.counts().failedAllocations());
        counter(registry, "emballoc.frees", "Successful frees", a -> a.counts().frees());
        counter(registry, "emballoc.reallocations", "Successful reallocations of a live block",
                a -> a.counts().reallocations());
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags extra,
                       ToDoubleFunction<Allocator> value) {
        Gauge.builder(name, allocator, value).description(description).baseUnit(unit).tags(tags).tags(extra)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<Allocator> value) {
        FunctionCounter.builder(name, allocator, value).description(description).baseUnit(BaseUnits.OPERATIONS)
                .tags(tags).register(registry);
    }

    @Override
    public String toString() {
        return "EmballocMetrics[" + allocator + ", " + tags + "]";
    }
}
