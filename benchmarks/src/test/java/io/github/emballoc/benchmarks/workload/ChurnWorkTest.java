package io.github.emballoc.benchmarks.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnWorkTest {

    @Test
    void theSameSeedDrawsTheSameWork() {
        ChurnWork a = ChurnWork.draw(300, SizeDistribution.MOSTLY_SMALL, 7);
        ChurnWork b = ChurnWork.draw(300, SizeDistribution.MOSTLY_SMALL, 7);
        ChurnWork c = ChurnWork.draw(300, SizeDistribution.MOSTLY_SMALL, 8);
        assertArrayEquals(a.initialSizes(), b.initialSizes());
        assertArrayEquals(a.sizes(), b.sizes());
        assertArrayEquals(a.victims(), b.victims());
        assertFalse(Arrays.equals(a.victims(), c.victims()));
    }

    @Test
    void victimsCoverTheLiveSlotsAndNothingElse() {
        ChurnWork work = ChurnWork.draw(200, SizeDistribution.UNIFORM, ChurnWork.SEED);
        assertEquals(ChurnWork.OPERATIONS, work.victims().length);
        int[] hits = new int[200];
        for (int victim : work.victims()) {
            hits[victim]++; // throws if out of range
        }
        int expected = ChurnWork.OPERATIONS / 200;
        for (int slot = 0; slot < 200; slot++) {
            assertTrue(Math.abs(hits[slot] - expected) < expected / 5, "slot " + slot + " chosen " + hits[slot]);
        }
    }

    @Test
    void sizesStayInTheirDistributionsAndMatchTheirMeans() {
        SplittableRandom random = new SplittableRandom(3);
        for (SizeDistribution distribution : SizeDistribution.values()) {
            long sum = 0;
            int n = 1_000_000;
            int min = Integer.MAX_VALUE;
            int max = 0;
            int small = 0;
            for (int i = 0; i < n; i++) {
                int size = distribution.draw(random);
                sum += size;
                min = Math.min(min, size);
                max = Math.max(max, size);
                if (size <= 64) {
                    small++;
                }
            }
            double mean = (double) sum / n;
            assertEquals(distribution.mean(), mean, distribution.mean() * 0.02, distribution + " mean");
            if (distribution == SizeDistribution.UNIFORM) {
                assertEquals(8, min);
                assertEquals(256, max);
            } else {
                assertEquals(16, min);
                assertEquals(4096, max);
                assertEquals(0.95, (double) small / n, 0.005, "share of 16-64 byte requests");
            }
        }
    }

    @Test
    void regionsFollowTheSizingRule() {
        assertEquals(4 << 20, ChurnWork.regionFor(200, SizeDistribution.UNIFORM));
        assertEquals(4 << 20, ChurnWork.regionFor(2_000, SizeDistribution.UNIFORM));
        // 2 * 20,000 * (132 + 16) = 5.9 MB -> 8 MiB
        assertEquals(8 << 20, ChurnWork.regionFor(20_000, SizeDistribution.UNIFORM));
        // 2 * 200,000 * (142.0 + 16) = 63.2 MB -> 64 MiB
        assertEquals(64 << 20, ChurnWork.regionFor(200_000, SizeDistribution.MOSTLY_SMALL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChurnWork.regionFor(10_000_000, SizeDistribution.UNIFORM));
        assertEquals("10000000 live blocks need more than a 1 GiB region", e.getMessage());
    }

    @Test
    void unknownDistributionsAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SizeDistribution.named("zipf"));
        assertEquals("unknown size distribution 'zipf'; known: [uniform, mostly-small]", e.getMessage());
    }
}
