package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index's own structures against {@link TreeSet} and {@link TreeMap} models, with their invariants checked
 * after every change: {@link BitTree} (members, next, previous, first, the summary levels), {@link EntryBitmap}
 * (headers, free bits, predecessor and successor, sizes from the header bits), {@link LargeFreeSet} (order,
 * ceiling, last, the treap's heap order, node reuse).
 */
class IndexStructuresTest {

    /** Sizes that give one, two and three summary levels, and the edges of a word. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 63, 64, 65, 4095, 4096, 4097, 300_000})
    void bitTreeAgreesWithASortedSet(int size) {
        BitTree tree = new BitTree(size);
        TreeSet<Integer> model = new TreeSet<>();
        SplittableRandom random = new SplittableRandom(size);
        int steps = Math.min(20_000, size * 8);
        for (int step = 0; step < steps; step++) {
            // clustered and scattered members, so that words and summary words fill and empty
            int i = random.nextBoolean() ? random.nextInt(size) : Math.min(size - 1, random.nextInt(Math.min(size, 130)));
            if (random.nextInt(3) == 0) {
                tree.remove(i);
                model.remove(i);
            } else {
                tree.add(i);
                model.add(i);
            }
            int probe = random.nextInt(size + 70) - 3;
            Integer previous = probe < 0 ? null : model.floor(probe);
            int from = Math.max(probe, 0);
            Integer expectedNext = model.ceiling(from);
            assertEquals(expectedNext == null ? -1 : expectedNext, tree.next(from), "next(" + from + ") at step " + step);
            assertEquals(previous == null ? -1 : previous, tree.previous(probe), "previous(" + probe + ")");
            assertEquals(model.isEmpty() ? -1 : model.first(), tree.first());
            assertEquals(model.isEmpty(), tree.isEmpty());
            assertEquals(model.contains(i), tree.contains(i));
            if (step % 97 == 0) {
                assertNull(tree.checkInvariants(), "step " + step);
            }
        }
        assertNull(tree.checkInvariants());
    }

    @Test
    void bitTreeNextPastTheEndIsNone() {
        BitTree tree = new BitTree(100);
        tree.add(99);
        assertEquals(99, tree.next(0));
        assertEquals(-1, tree.next(100));
        assertEquals(-1, tree.previous(-1));
        assertEquals(99, tree.previous(Integer.MAX_VALUE));
        assertEquals(-1, tree.previous(98));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 12, 256, 260, 4096, 1 << 16, (1 << 20) + 4})
    void entryBitmapAgreesWithAModelOfEntries(int capacity) {
        EntryBitmap bitmap = new EntryBitmap(capacity);
        TreeMap<Integer, Boolean> entries = new TreeMap<>(); // granule -> free
        SplittableRandom random = new SplittableRandom(capacity);
        int granules = capacity / 4;
        for (int step = 0; step < 20_000; step++) {
            int g = random.nextInt(random.nextBoolean() ? granules : Math.min(granules, 200));
            if (entries.containsKey(g)) {
                if (random.nextBoolean()) {
                    bitmap.removeEntry(g);
                    entries.remove(g);
                } else if (entries.get(g)) {
                    bitmap.clearFree(g);
                    entries.put(g, false);
                } else {
                    bitmap.setFree(g);
                    entries.put(g, true);
                }
            } else {
                boolean free = random.nextBoolean();
                bitmap.addEntry(g, free);
                entries.put(g, free);
            }
            bitmap.end(random.nextBoolean() ? capacity : capacity - 4);
            int probe = random.nextInt(granules);
            Integer before = entries.floorKey(probe);
            Integer after = entries.ceilingKey(probe);
            assertEquals(before == null ? -1 : before, bitmap.predecessor(probe), "predecessor(" + probe + ")");
            assertEquals(after == null ? -1 : after, bitmap.successor(probe), "successor(" + probe + ")");
            assertEquals(entries.containsKey(probe), bitmap.isHeader(probe));
            assertEquals(Boolean.TRUE.equals(entries.get(probe)), bitmap.isFree(probe));
            if (entries.containsKey(probe)) {
                Integer next = entries.higherKey(probe);
                int end = next == null ? bitmap.end() : next * 4;
                assertEquals(end - probe * 4 - 4, bitmap.sizeAt(probe), "sizeAt(" + probe + ")");
            }
            if (step % 211 == 0) {
                assertNull(bitmap.checkInvariants(), "step " + step);
            }
        }
        assertNull(bitmap.checkInvariants());
        assertEquals(-1, bitmap.successor(granules), "past the last granule");
    }

    @Test
    void largeFreeSetAgreesWithASortedSet() {
        LargeFreeSet set = new LargeFreeSet();
        TreeSet<Long> model = new TreeSet<>();
        SplittableRandom random = new SplittableRandom(77);
        int highest = 0;
        for (int step = 0; step < 60_000; step++) {
            // keys as the best-fit index makes them: size << 32 | offset
            long key = ((long) (16_384 + 4 * random.nextInt(2000)) << 32) | (4L * random.nextInt(100_000));
            boolean phaseOfRemovals = (step / 10_000) % 2 == 1;
            if (random.nextInt(10) < (phaseOfRemovals ? 7 : 3) && !model.isEmpty()) {
                long victim = random.nextBoolean() ? model.first() : model.ceiling(key) == null ? model.last()
                        : model.ceiling(key);
                assertTrue(set.remove(victim));
                model.remove(victim);
                assertFalse(set.remove(victim), "removed twice");
            } else if (model.add(key)) {
                set.insert(key);
            }
            highest = Math.max(highest, model.size());
            long probe = ((long) (16_000 + random.nextInt(9000)) << 32) | random.nextInt();
            Long ceiling = model.ceiling(probe);
            assertEquals(ceiling == null ? -1 : ceiling, set.ceiling(probe), "ceiling at step " + step);
            assertEquals(model.isEmpty() ? -1 : model.last(), set.last());
            assertEquals(model.size(), set.size());
            if (step % 503 == 0) {
                assertNull(set.checkInvariants(), "step " + step);
                assertEquals(model.toString(), Arrays.toString(set.toArray()));
            }
        }
        assertNull(set.checkInvariants());
        // nodes are reused: the arrays hold the highest number of keys rounded up to a power of two, no more
        long perKey = (set.bytes() - 3 * 16) / Math.max(1, highest);
        assertTrue(perKey <= 2 * 16 + 1, "bytes per key at the high: " + perKey);
    }

    @Test
    void treapPrioritiesAreAFunctionOfTheKeyOnly() {
        LargeFreeSet a = new LargeFreeSet();
        LargeFreeSet b = new LargeFreeSet();
        long[] keys = {5L << 32, (7L << 32) | 4, (5L << 32) | 8, 9L << 32, (6L << 32) | 12};
        for (long key : keys) {
            a.insert(key);
        }
        for (int i = keys.length - 1; i >= 0; i--) {
            b.insert(keys[i]);
        }
        assertEquals(Arrays.toString(a.toArray()), Arrays.toString(b.toArray()));
        assertEquals(LargeFreeSet.priority(keys[0]), LargeFreeSet.priority(keys[0]));
    }
}
