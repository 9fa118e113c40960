package io.github.emballoc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.OperationCounts;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.debug.LeakTracker;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.lock.cas.CasSpinLock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link EmballocMetrics} on Micrometer's {@link SimpleMeterRegistry}: after a random workload every gauge
 * reads what {@code stats()} says and every counter what {@code counts()} says; every meter carries the tags;
 * an allocator that keeps no counts gets the gauges only.
 */
class EmballocMetricsTest {

    private static FirstFitAllocator allocator(int capacity) {
        return FirstFitAllocator.builder(RawHeaps.allocate(capacity)).criticalSection(new CasSpinLock()).build();
    }

    /** Allocations, frees, reallocations, some failing. */
    private static void workload(Allocator allocator, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int choice = random.nextInt(10);
            if (live.isEmpty() || choice < 5) {
                int handle = allocator.allocate(random.nextInt(1, 600), 1 << random.nextInt(4));
                if (handle != Allocator.NULL) {
                    live.add(handle);
                }
            } else if (choice < 8) {
                allocator.free(live.remove(random.nextInt(live.size())));
            } else {
                int index = random.nextInt(live.size());
                int moved = allocator.reallocate(live.get(index), random.nextInt(1, 900));
                if (moved != Allocator.NULL) {
                    live.set(index, moved);
                }
            }
        }
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }

    @Test
    void theGaugesReadStatsAndTheCountersReadCounts() {
        FirstFitAllocator allocator = allocator(16384);
        MeterRegistry registry = new SimpleMeterRegistry();
        new EmballocMetrics(allocator).bindTo(registry);
        for (long seed = 1; seed <= 3; seed++) {
            workload(allocator, seed);
            HeapStats stats = allocator.stats();
            OperationCounts counts = allocator.counts();
            assertTrue(counts.failedAllocations() > 0 && counts.reallocations() > 0, counts::toString);

            assertEquals(16384, gauge(registry, "emballoc.heap.capacity"));
            assertEquals(stats.usedBytes(), gauge(registry, "emballoc.heap.used"));
            assertEquals(stats.freeBytes(), gauge(registry, "emballoc.heap.free"));
            assertEquals(stats.usedEntries(), gauge(registry, "emballoc.heap.entries", "state", "used"));
            assertEquals(stats.freeEntries(), gauge(registry, "emballoc.heap.entries", "state", "free"));
            assertEquals(stats.largestFree(), gauge(registry, "emballoc.heap.largest.free"));
            assertEquals(stats.fragmentation(), gauge(registry, "emballoc.heap.fragmentation"));

            assertEquals(counts.allocations(), counter(registry, "emballoc.allocations"));
            assertEquals(counts.failedAllocations(), counter(registry, "emballoc.allocations.failed"));
            assertEquals(counts.frees(), counter(registry, "emballoc.frees"));
            assertEquals(counts.reallocations(), counter(registry, "emballoc.reallocations"));
        }
        assertEquals("bytes", registry.get("emballoc.heap.used").gauge().getId().getBaseUnit());
    }

    @Test
    void everyMeterCarriesTheTagsSoThatTwoHeapsAreToldApart() {
        FirstFitAllocator sessions = allocator(4096);
        FirstFitAllocator cache = allocator(8192);
        MeterRegistry registry = new SimpleMeterRegistry();
        new EmballocMetrics(sessions, Tags.of("heap", "sessions")).bindTo(registry);
        new EmballocMetrics(cache, Tags.of("heap", "cache")).bindTo(registry);
        cache.allocate(100);

        assertEquals(4096, gauge(registry, "emballoc.heap.capacity", "heap", "sessions"));
        assertEquals(8192, gauge(registry, "emballoc.heap.capacity", "heap", "cache"));
        assertEquals(100, gauge(registry, "emballoc.heap.used", "heap", "cache"));
        assertEquals(1, registry.get("emballoc.allocations").tags("heap", "cache").functionCounter().count());
        assertEquals(0, registry.get("emballoc.allocations").tags("heap", "sessions").functionCounter().count());
        for (Meter meter : registry.getMeters()) {
            assertTrue(meter.getId().getTag("heap") != null, meter.getId()::toString);
        }
        assertEquals(2 * 11, registry.getMeters().size());
    }

    @Test
    void aDecoratorPassesTheCountsOn() {
        FirstFitAllocator plain = allocator(4096);
        LeakTracker tracked = LeakTracker.track(plain, LeakTracker.Level.EVERY);
        MeterRegistry registry = new SimpleMeterRegistry();
        new EmballocMetrics(tracked).bindTo(registry);
        workload(tracked, 9);
        assertEquals(plain.counts().frees(), counter(registry, "emballoc.frees"));
        assertEquals(plain.stats().usedEntries(), gauge(registry, "emballoc.heap.entries", "state", "used"));
    }

    @Test
    void anAllocatorThatKeepsNoCountsGetsTheGaugesOnly() {
        FirstFitAllocator plain = allocator(4096);
        Allocator countless = new Allocator() { // passes everything on but counts()
            @Override
            public RawHeap heap() {
                return plain.heap();
            }

            @Override
            public int allocate(int size, int alignment) {
                return plain.allocate(size, alignment);
            }

            @Override
            public void free(int handle) {
                plain.free(handle);
            }

            @Override
            public int usableSize(int handle) {
                return plain.usableSize(handle);
            }

            @Override
            public int reallocate(int handle, int newSize, int alignment) {
                return plain.reallocate(handle, newSize, alignment);
            }

            @Override
            public int coalesce() {
                return plain.coalesce();
            }

            @Override
            public HeapStats stats() {
                return plain.stats();
            }

            @Override
            public void walk(EntryVisitor visitor) {
                plain.walk(visitor);
            }

            @Override
            public void verify() {
                plain.verify();
            }
        };
        MeterRegistry registry = new SimpleMeterRegistry();
        new EmballocMetrics(countless).bindTo(registry);
        countless.allocate(40);
        assertEquals(40, gauge(registry, "emballoc.heap.used"));
        assertNull(registry.find("emballoc.allocations").functionCounter());
        assertEquals(7, registry.getMeters().size());
    }
}
