package io.github.emballoc.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Micrometer example of README.md, as written there. */
class ReadmeMetricsExampleTest {

    @Test
    void theMetricsExampleBindsGaugesAndCounters() {
        MeterRegistry registry = new SimpleMeterRegistry();
        // --- README "Metrics" begins
        Allocator allocator = FirstFitAllocator.create(RawHeaps.allocateDirect(1 << 20));
        new EmballocMetrics(allocator, Tags.of("heap", "sessions")).bindTo(registry);
        // --- README "Metrics" ends
        allocator.allocate(1000);
        assertEquals(1000, registry.get("emballoc.heap.used").tag("heap", "sessions").gauge().value());
        assertEquals(1, registry.get("emballoc.allocations").functionCounter().count());
    }
}
