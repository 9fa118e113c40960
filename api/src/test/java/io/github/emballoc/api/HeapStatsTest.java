package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link HeapStats}: its validation, the derived figures and the {@link HeapStats.Accumulator}. */
class HeapStatsTest {

    @Test
    void derivedFiguresFollowFromTheRecordedOnes() {
        // the emballoc walkthrough's final heap of 32 bytes: e 0 used 8, e 12 free 16
        HeapStats stats = new HeapStats(32, 1, 1, 8, 16, 16);
        assertEquals(2, stats.entries());
        assertEquals(8, stats.headerBytes());
        assertEquals(0, stats.unusableBytes());
        assertEquals(0.0, stats.fragmentation());

        HeapStats scattered = new HeapStats(100, 2, 3, 20, 60, 15);
        assertEquals(5, scattered.entries());
        assertEquals(20, scattered.headerBytes());
        assertEquals(0, scattered.unusableBytes());
        assertEquals(0.75, scattered.fragmentation(), 1e-12);

        HeapStats withTail = new HeapStats(40, 1, 0, 32, 0, 0);
        assertEquals(4, withTail.unusableBytes(), "a walk ending at capacity - 4 leaves 4 bytes to no entry");
        assertEquals(0.0, withTail.fragmentation(), "nothing free: no fragmentation");
    }

    @Test
    void anEmptyHeapHasNoEntries() {
        HeapStats stats = new HeapStats(0, 0, 0, 0, 0, 0);
        assertEquals(0, stats.entries());
        assertEquals(0, stats.headerBytes());
        assertEquals(0, stats.unusableBytes());
        assertEquals(0.0, stats.fragmentation());
    }

    @Test
    void freeEntriesOfZeroBytesCountAsEntriesWithoutFragmentation() {
        HeapStats stats = new HeapStats(24, 2, 2, 8, 0, 0);
        assertEquals(24, stats.headerBytes() + stats.usedBytes() + stats.freeBytes());
        assertEquals(0.0, stats.fragmentation());
    }

    @Test
    void negativeFiguresAreRefusedNamingAllOfThem() {
        int[][] cases = {
            {-1, 0, 0, 0, 0, 0}, {8, -1, 0, 0, 0, 0}, {8, 0, -1, 0, 0, 0},
            {8, 0, 0, -1, 0, 0}, {8, 0, 0, 0, -1, 0}, {8, 0, 0, 0, 0, -1},
        };
        for (int[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HeapStats(c[0], c[1], c[2], c[3], c[4], c[5]));
            assertEquals("negative figure in HeapStats[capacity=" + c[0] + ", usedEntries=" + c[1] + ", freeEntries="
                    + c[2] + ", usedBytes=" + c[3] + ", freeBytes=" + c[4] + ", largestFree=" + c[5] + "]",
                    e.getMessage());
        }
    }

    @Test
    void aLargestFreeEntryLargerThanAllFreeBytesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HeapStats(64, 0, 2, 0, 20, 21));
        assertEquals("largest free entry 21 exceeds the free bytes 20", e.getMessage());
    }

    @Test
    void figuresThatDoNotFitTheCapacityAreRefusedEvenWhenTheyOverflowAnInt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HeapStats(32, 1, 1, 8, 17, 17));
        assertEquals("headers and payloads add up to 33 bytes, more than the capacity 32", e.getMessage());

        IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
                () -> new HeapStats(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                        Integer.MAX_VALUE, 0));
        long total = 4L * 2 * Integer.MAX_VALUE + 2L * Integer.MAX_VALUE;
        assertEquals("headers and payloads add up to " + total + " bytes, more than the capacity "
                + Integer.MAX_VALUE, overflow.getMessage());

        // exactly full is fine
        HeapStats full = new HeapStats(Integer.MAX_VALUE - 3, 1, 0, Integer.MAX_VALUE - 7, 0, 0);
        assertEquals(0, full.unusableBytes());
    }

    @Test
    void statsAreValuesComparedByTheirFigures() {
        assertEquals(new HeapStats(32, 1, 1, 8, 16, 16), new HeapStats(32, 1, 1, 8, 16, 16));
        assertEquals(new HeapStats(32, 1, 1, 8, 16, 16).hashCode(), new HeapStats(32, 1, 1, 8, 16, 16).hashCode());
        assertEquals("HeapStats[capacity=32, usedEntries=1, freeEntries=1, usedBytes=8, freeBytes=16, largestFree=16]",
                new HeapStats(32, 1, 1, 8, 16, 16).toString());
    }

    @Test
    void theAccumulatorAddsUpEveryEntryItVisits() {
        HeapStats.Accumulator accumulator = new HeapStats.Accumulator();
        assertEquals(new HeapStats(0, 0, 0, 0, 0, 0), accumulator.toStats(0));
        accumulator.visit(0, true, 8);
        accumulator.visit(12, false, 4);
        accumulator.visit(20, true, 0);
        accumulator.visit(24, false, 12);
        accumulator.visit(40, false, 0);
        accumulator.visit(44, true, 16);
        assertEquals(new HeapStats(64, 3, 3, 24, 16, 12), accumulator.toStats(64));
        assertEquals(new HeapStats(100, 3, 3, 24, 16, 12), accumulator.toStats(100),
                "toStats can be asked again, for any capacity that holds the entries");
    }

    @Test
    void theAccumulatorRefusesACapacityTooSmallForWhatItSaw() {
        HeapStats.Accumulator accumulator = new HeapStats.Accumulator();
        accumulator.visit(0, true, 8);
        accumulator.visit(12, false, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> accumulator.toStats(31));
        assertEquals("headers and payloads add up to 32 bytes, more than the capacity 31", e.getMessage());
    }
}
