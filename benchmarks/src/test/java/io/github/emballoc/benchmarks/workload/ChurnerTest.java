package io.github.emballoc.benchmarks.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.benchmarks.subject.EmballocSubject;
import io.github.emballoc.benchmarks.subject.Heaps;
import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subject;
import io.github.emballoc.benchmarks.subject.Subjects;
import org.junit.jupiter.api.Test;

class ChurnerTest {

    /** Every step frees one block and allocates one: the live count stays, and the bytes follow the sizes. */
    @Test
    void eachStepReplacesTheVictimsBlock() {
        ChurnWork work = ChurnWork.draw(50, SizeDistribution.UNIFORM, 11);
        EmballocSubject subject = new EmballocSubject(Heaps.open("array", 64 << 10),
                Subjects.emballoc("firstfit-best", Sharing.CONFINED), 50);
        try (Churner churner = Churner.start(subject, work)) {
            int[] live = work.initialSizes().clone();
            for (int i = 0; i < 5_000; i++) {
                assertTrue(churner.step(), "step " + i);
                live[work.victims()[i]] = work.sizes()[i];
                Allocator allocator = subject.allocator();
                HeapStats stats = allocator.stats();
                assertEquals(50, stats.usedEntries(), "used entries after step " + i);
                long requested = 0;
                long rounded = 0;
                for (int size : live) {
                    requested += size;
                    rounded += HeaderDescriptor.blockSize(size, 1);
                }
                assertTrue(stats.usedBytes() >= requested, "used bytes after step " + i);
                assertEquals(rounded, stats.usedBytes(), "used bytes after step " + i);
            }
        }
    }

    @Test
    void aRegionTooSmallForTheInitialBlocksIsReported() {
        ChurnWork work = ChurnWork.draw(100, SizeDistribution.UNIFORM, 1);
        Subject subject = Subjects.create("offheapstore", "array", 8192, 100, Sharing.CONFINED);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Churner.start(subject, work));
        assertTrue(e.getMessage().endsWith(" initial allocations: the region of 8192 bytes is too small for this "
                + "workload"), e.getMessage());
    }

    /** The benchmarks' own sizing fits every allocator's initial blocks at every size they use. */
    @Test
    void theSizingRuleFitsTheInitialBlocksOfEveryPeer() {
        for (String allocator : new String[] {"onenio", "offheapstore", "netty"}) {
            for (SizeDistribution distribution : SizeDistribution.values()) {
                for (int live : new int[] {200, 20_000}) {
                    try (Churner churner = Churner.start(allocator, "array", live, distribution.parameter())) {
                        for (int i = 0; i < 50_000; i++) {
                            assertTrue(churner.step(), allocator + " " + distribution + " " + live + " step " + i);
                        }
                    }
                }
            }
        }
    }
}
