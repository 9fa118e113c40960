package io.github.emballoc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FootprintTest {

    /** emballoc's rule: a 4-byte header and the request rounded up to 4 bytes (8 bytes for 1 to 4 bytes). */
    @Test
    void thisProjectsBlocksCostAHeaderAndTheRoundedRequest() {
        for (String allocator : new String[] {"firstfit-best", "firstfit-first"}) {
            Footprint.Fill one = Footprint.fill(allocator, 1, 64 << 10);
            // 8 bytes each, the last block taking the last 8 bytes whole
            assertEquals(65536 / 8, one.blocks(), allocator);
            assertEquals(8.0, one.regionPerBlock(), 0.01, allocator);
            assertEquals(24.0, Footprint.fill(allocator, 17, 64 << 10).regionPerBlock(), 0.01, allocator);
        }
    }

    /** Netty serves 1 to 16 bytes from 16-byte elements: the probe that finds its chunk leaves nothing behind. */
    @Test
    void nettyBlocksCostTheirSizeClass() {
        assertEquals(16.0, Footprint.fill("netty", 4, 64 << 10).regionPerBlock(), 0.01);
        assertEquals(64.0, Footprint.fill("netty", 64, 64 << 10).regionPerBlock(), 0.01);
    }

    @Test
    void heapEfficiencyIsAFractionAndRepeatsForASeed() {
        double first = HeapEfficiency.run("offheapstore", 3, 256 << 10);
        assertEquals(first, HeapEfficiency.run("offheapstore", 3, 256 << 10));
        assertTrue(first > 0.5 && first < 1.0, "efficiency " + first);
    }
}
