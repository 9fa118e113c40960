package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link OffsetHeaps} against a model: per bin, a sorted set of the live values. Values leave a bin by being
 * popped as the smallest, by being taken out by a scan ({@link OffsetHeaps#remove}), or by going stale in place
 * (the model forgets them, the heap keeps a copy until it drops it), and may come back; after every step the heaps' invariants hold, the smallest live value of a bin
 * is found by dropping stale tops, and no live value is ever lost, through segment moves, bin compactions and
 * arena compactions, each of which keeps every live value exactly once and releases every claim it made. And the
 * arena grows only when the total of live values reaches a new high.
 */
class OffsetHeapsTest {

    private static final int BINS = 40;

    private final List<TreeSet<Integer>> live = new ArrayList<>();
    private final Set<Long> claimed = new HashSet<>();
    private final OffsetHeaps heaps = new OffsetHeaps(BINS, new OffsetHeaps.Liveness() {
        @Override
        public boolean claim(int value, int bin) {
            return live.get(bin).contains(value) && claimed.add(((long) bin << 32) | value);
        }

        @Override
        public void release(int value, int bin) {
            assertTrue(claimed.remove(((long) bin << 32) | value), "released a value not claimed");
        }
    });

    OffsetHeapsTest() {
        for (int b = 0; b < BINS; b++) {
            live.add(new TreeSet<>());
        }
    }

    /** Drops stale tops as BestFitIndex does; returns the live top or -1. */
    private int liveTop(int b) {
        while (heaps.length(b) > 0) {
            int top = heaps.top(b);
            if (live.get(b).contains(top)) {
                return top;
            }
            heaps.pop(b);
        }
        return -1;
    }

    private void check(int b, String context) {
        assertNull(heaps.checkInvariants(), context);
        assertTrue(claimed.isEmpty(), context + ": a compaction left claims");
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < heaps.length(b); i++) {
            held.add(heaps.element(b, i));
        }
        assertTrue(held.containsAll(live.get(b)), context + ": bin " + b + " lost a live value; live "
                + live.get(b) + ", held " + held);
    }

    @Test
    void randomOperationsKeepEveryLiveValueAndFindTheSmallest() {
        SplittableRandom random = new SplittableRandom(0x0FF5E7L);
        int highestLive = 0;
        int arenaAtHigh = 0;
        int total = 0;
        for (int step = 0; step < 300_000; step++) {
            int b = random.nextInt(BINS);
            // bins fill and drain in phases, so that segments grow, move, shrink and empty
            int phase = (step / 20_000) % 3;
            int roll = random.nextInt(100);
            TreeSet<Integer> set = live.get(b);
            String context = "step " + step;
            if (roll < (phase == 0 ? 60 : phase == 1 ? 40 : 30)) {
                int value = random.nextInt(5000);
                if (set.add(value)) {
                    heaps.push(b, value, set.size() - 1);
                    total++;
                }
            } else if (roll < 75) {
                int top = liveTop(b);
                assertEquals(set.isEmpty() ? -1 : set.first(), top, context + ": smallest live value of bin " + b);
                if (top >= 0) {
                    set.remove(top);
                    heaps.pop(b);
                    total--;
                }
            } else if (!set.isEmpty()) {
                // a value leaves without being chosen (merged away): taken out by a scan when the bin is short
                // (as BestFitIndex does up to EAGER_REMOVAL copies), else it goes stale in place
                int pick = random.nextInt(3);
                Integer gone = pick == 0 ? set.first() : pick == 1 ? set.last() : set.ceiling(random.nextInt(5000));
                if (gone == null) {
                    gone = set.last();
                }
                set.remove(gone);
                total--;
                if (set.isEmpty()) {
                    heaps.clear(b);
                } else if (heaps.top(b) == gone) {
                    heaps.pop(b);
                } else if (heaps.length(b) <= BestFitIndex.EAGER_REMOVAL && random.nextBoolean()) {
                    int before = heaps.length(b);
                    assertTrue(heaps.remove(b, gone), context + ": remove did not find " + gone + " in bin " + b);
                    assertEquals(before - 1, heaps.length(b), context + ": remove took out more or less than one copy");
                }
            }
            check(b, context);
            if (total > highestLive) {
                highestLive = total;
                arenaAtHigh = heaps.arenaLength();
            } else {
                assertTrue(heaps.arenaLength() <= Math.max(arenaAtHigh, 4 * highestLive + 64 * BINS),
                        context + ": the arena grew to " + heaps.arenaLength() + " below the high of " + highestLive);
            }
        }
        for (int b = 0; b < BINS; b++) {
            check(b, "end");
        }
        assertTrue(claimed.isEmpty(), "claims left after compactions");
    }

    @Test
    void sortOrdersAnySlice() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < 200; n++) {
            int[] a = new int[n + 10];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(50) - 10;
            }
            int[] expected = a.clone();
            java.util.Arrays.sort(expected, 5, 5 + n);
            OffsetHeaps.sort(a, 5, n);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(a), "n = " + n);
        }
    }
}
