package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Fit;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded random operations, checked after every step against two independent references:
 * {@link EntryListModel} (the heap format restated as a list of entries: every handle and every entry must
 * agree) and a Guava {@link RangeSet} of live payloads (no overlap, inside the heap, aligned, bytes intact).
 * Also after every step: {@code stats()} agrees with {@code walk()}, and {@code verify()} passes. Some runs
 * re-attach a fresh allocator to a copy of the image mid-way and carry on with it, which must continue
 * identically.
 *
 * <p>At least 200,000 operations per fit, over heaps from 8 bytes to 1 MiB. A failure names the seed and
 * the step; rerun one run with {@code -Demballoc.seed=SEED -Demballoc.capacity=CAP}.
 */
class RandomOperationsTest {

    private static final long BASE_SEED = 0x5EED_E3BA_11C0L;
    private static final int RUNS = 48;
    private static final int OPS_PER_FIT = 200_000;

    @ParameterizedTest
    @EnumSource(Fit.class)
    void randomOperationsAgreeWithTheReferenceModels(Fit fit) {
        String seedProperty = System.getProperty("emballoc.seed");
        if (seedProperty != null) {
            long seed = Long.parseLong(seedProperty);
            int capacity = Integer.parseInt(System.getProperty("emballoc.capacity", "4096"));
            new Run(fit, seed, capacity, OPS_PER_FIT / RUNS).execute();
            return;
        }
        SplittableRandom seeds = new SplittableRandom(BASE_SEED + fit.ordinal());
        int total = 0;
        for (int run = 0; run < RUNS; run++) {
            long seed = seeds.nextLong();
            int capacity = capacityFor(run, seeds);
            int ops = OPS_PER_FIT / RUNS + 1;
            new Run(fit, seed, capacity, ops).execute();
            total += ops;
        }
        if (total < OPS_PER_FIT) {
            fail("only " + total + " operations ran");
        }
    }

    /** From 8 bytes to 1 MiB: the extremes always, log-uniform in between. */
    private static int capacityFor(int run, SplittableRandom random) {
        if (run == 0) {
            return 8;
        }
        if (run == 1) {
            return 1 << 20;
        }
        if (run == 2) {
            return 12;
        }
        int bits = 3 + random.nextInt(18);
        int capacity = (1 << bits) + random.nextInt(1 << bits);
        return Math.max(8, Math.min(1 << 20, capacity & ~3));
    }

    private static final class Block {
        final int handle;
        final int size;
        final int align;
        final int entry;
        final byte pattern;

        Block(int handle, int size, int align, int entry, byte pattern) {
            this.handle = handle;
            this.size = size;
            this.align = align;
            this.entry = entry;
            this.pattern = pattern;
        }
    }

    private static final class Run {
        final Fit fit;
        final long seed;
        final int capacity;
        final int ops;
        final SplittableRandom random;
        final ByteOrder order;
        RawHeap heap;
        FirstFitAllocator allocator;
        final EntryListModel model;
        final RangeSet<Integer> live = TreeRangeSet.create();
        final List<Block> blocks = new ArrayList<>();
        final Map<Integer, Block> byEntry = new HashMap<>();
        int step;

        Run(Fit fit, long seed, int capacity, int ops) {
            this.fit = fit;
            this.seed = seed;
            this.capacity = capacity;
            this.ops = ops;
            this.random = new SplittableRandom(seed);
            this.order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            this.heap = random.nextInt(4) == 0 ? RawHeaps.allocateDirect(capacity, order)
                    : RawHeaps.allocate(capacity, order);
            this.allocator = build(heap);
            this.model = new EntryListModel(capacity, fit == Fit.BEST);
        }

        FirstFitAllocator build(RawHeap on) {
            return FirstFitAllocator.builder(on).fit(fit).criticalSection(new PlainSection()).build();
        }

        void execute() {
            try {
                check();
                int reattachAt = random.nextInt(3) == 0 ? random.nextInt(ops) : -1;
                for (step = 1; step <= ops; step++) {
                    if (step == reattachAt) {
                        reattach();
                    }
                    int choice = random.nextInt(100);
                    if (choice < 50 || blocks.isEmpty()) {
                        allocate();
                    } else if (choice < 92) {
                        freeLive();
                    } else {
                        freeArbitrary();
                    }
                    check();
                }
                while (!blocks.isEmpty()) {
                    step++;
                    freeLive();
                    check();
                }
                HeapStats end = allocator.stats();
                assertEquals(0, end.usedEntries(), "used entries after freeing everything");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fit " + fit + ", seed " + seed + ", capacity " + capacity + ", " + order
                        + ", step " + step + " (rerun: -Demballoc.seed=" + seed + " -Demballoc.capacity=" + capacity
                        + "): " + e.getMessage(), e);
            }
        }

        void allocate() {
            int size = size();
            int align = 1 << (random.nextInt(4) == 0 ? random.nextInt(13) : random.nextInt(3));
            int handle = allocator.allocate(size, align);
            int expected = model.allocate(size, align);
            assertEquals(expected, handle, "allocate(" + size + ", " + align + ")");
            if (handle == Allocator.NULL) {
                return;
            }
            assertEquals(0, handle % align, "alignment of " + handle);
            Range<Integer> range = Range.closedOpen(handle, handle + size);
            if (size > 0) {
                if (handle < 4 || (long) handle + size > capacity) {
                    fail("block [" + handle + ", " + (handle + size) + ") leaves the heap of " + capacity);
                }
                if (live.intersects(range)) {
                    fail("block [" + handle + ", " + (handle + size) + ") overlaps live blocks " + live);
                }
                live.add(range);
            }
            byte pattern = (byte) random.nextInt(256);
            heap.fill(handle, size, pattern);
            Block block = new Block(handle, size, align, model.lastEntry, pattern);
            blocks.add(block);
            byEntry.put(block.entry, block);
        }

        int size() {
            int kind = random.nextInt(10);
            if (kind < 5) {
                return random.nextInt(17);
            }
            if (kind < 8) {
                return random.nextInt(Math.max(1, capacity / 16));
            }
            if (kind < 9) {
                return random.nextInt(capacity + 8);
            }
            return Math.max(0, capacity - 4 - random.nextInt(8));
        }

        void freeLive() {
            Block block = blocks.get(random.nextInt(blocks.size()));
            int target = block.handle + (block.size > 1 && random.nextBoolean() ? random.nextInt(block.size) : 0);
            checkPayload(block);
            allocator.free(target);
            assertEquals(EntryListModel.FreeResult.OK, model.free(target), "model free of " + target);
            forget(block);
        }

        void freeArbitrary() {
            int target = random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(capacity + 8) - 4;
            byte[] before = snapshot();
            if (target == Allocator.NULL) {
                allocator.free(target);
                assertUnchanged(before);
                return;
            }
            EntryListModel.FreeResult expected = target < 0 ? EntryListModel.FreeResult.NOT_FOUND : model.free(target);
            switch (expected) {
                case NOT_FOUND:
                    assertThrows(InvalidFreeException.class, () -> allocator.free(target), "free(" + target + ")");
                    assertUnchanged(before);
                    break;
                case DOUBLE_FREE:
                    assertThrows(DoubleFreeException.class, () -> allocator.free(target), "free(" + target + ")");
                    assertUnchanged(before);
                    break;
                default:
                    // the model freed a live block: the offset fell inside (or in the padding of) one
                    allocator.free(target);
                    Block block = byEntry.get(lastFreedEntry(target));
                    if (block == null) {
                        fail("free(" + target + ") freed an entry the test never allocated");
                    }
                    forget(block);
            }
        }

        int lastFreedEntry(int target) {
            for (Block b : blocks) {
                if (target >= b.entry + 4 && target < b.entry + 4 + blockEntrySize(b)) {
                    return b.entry;
                }
            }
            return -1;
        }

        int blockEntrySize(Block b) {
            long request = b.align > 4 ? (long) b.size + b.align : b.size;
            if (request == 0) {
                request = 4;
            }
            return (int) (((request + 3) / 4) * 4);
        }

        void forget(Block block) {
            blocks.remove(block);
            byEntry.remove(block.entry);
            if (block.size > 0) {
                live.remove(Range.closedOpen(block.handle, block.handle + block.size));
            }
        }

        void assertUnchanged(byte[] before) {
            if (!Arrays.equals(before, snapshot())) {
                fail("a failed free changed the heap");
            }
        }

        void reattach() {
            byte[] image = snapshot();
            RawHeap copy = RawHeaps.wrap(image, order);
            FirstFitAllocator attached = build(copy);
            assertEquals(WalkRecorder.describe(WalkRecorder.walk(allocator)),
                    WalkRecorder.describe(WalkRecorder.walk(attached)), "entries after re-attaching");
            heap = copy;
            allocator = attached;
        }

        byte[] snapshot() {
            byte[] bytes = new byte[capacity];
            heap.getBytes(0, bytes, 0, capacity);
            return bytes;
        }

        void checkPayload(Block block) {
            for (int i = 0; i < block.size; i++) {
                if (heap.getByte(block.handle + i) != block.pattern) {
                    fail("byte " + i + " of the live block at " + block.handle + " (" + block.size + " bytes) changed");
                }
            }
        }

        void check() {
            List<EntryListModel.Entry> walked = WalkRecorder.walk(allocator);
            if (!WalkRecorder.sameEntries(model.entries, walked)) {
                assertEquals(model.toString(), WalkRecorder.describe(walked), "entries");
            }
            HeapStats.Accumulator counts = new HeapStats.Accumulator();
            for (EntryListModel.Entry e : walked) {
                counts.visit(e.offset, e.used, e.size);
            }
            assertEquals(counts.toStats(capacity), allocator.stats(), "stats() against walk()");
            allocator.verify();
            // the edges of every live block are where a misplaced header would land
            for (Block block : blocks) {
                if (block.size > 0) {
                    assertEquals(block.pattern, heap.getByte(block.handle), "first byte of block " + block.handle);
                    assertEquals(block.pattern, heap.getByte(block.handle + block.size - 1),
                            "last byte of block " + block.handle);
                }
            }
            if (step % 256 == 0) {
                for (Block block : blocks) {
                    checkPayload(block);
                }
            }
        }
    }
}
