package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Fit;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random operations (allocate, free, usableSize, reallocate, coalesce, with both fits and both
 * coalescing modes), checked after every step against two independent references:
 * {@link EntryListModel} (the heap format restated as a list of entries: every handle and every entry must
 * agree) and a Guava {@link RangeSet} of live payloads (no overlap, inside the heap, aligned, bytes intact).
 * Also after every step: {@code stats()} agrees with {@code walk()}, and {@code verify()} passes. Some runs
 * re-attach a fresh allocator to a copy of the image mid-way and carry on with it, which must continue
 * identically.
 *
 * <p>At least 150,000 operations per fit and coalescing mode, over heaps from 8 bytes to 1 MiB. A failure names
 * the seed and the step; rerun one run with {@code -Demballoc.seed=SEED -Demballoc.capacity=CAP}.
 */
class RandomOperationsTest {

    private static final long BASE_SEED = 0x5EED_E3BA_11C0L;
    private static final int RUNS = 48;
    private static final int OPS_PER_FIT = 150_000;

    static Stream<Arguments> builds() {
        return Stream.of(Fit.values()).flatMap(fit -> Stream.of(Coalescing.values()).map(c -> Arguments.of(fit, c)));
    }

    @ParameterizedTest
    @MethodSource("builds")
    void randomOperationsAgreeWithTheReferenceModels(Fit fit, Coalescing coalescing) {
        String seedProperty = System.getProperty("emballoc.seed");
        if (seedProperty != null) {
            long seed = Long.parseLong(seedProperty);
            int capacity = Integer.parseInt(System.getProperty("emballoc.capacity", "4096"));
            new Run(fit, coalescing, seed, capacity, OPS_PER_FIT / RUNS + 1).execute();
            return;
        }
        SplittableRandom seeds = new SplittableRandom(BASE_SEED + fit.ordinal() + 31L * coalescing.ordinal());
        int total = 0;
        for (int run = 0; run < RUNS; run++) {
            long seed = seeds.nextLong();
            int capacity = capacityFor(run, seeds);
            int ops = OPS_PER_FIT / RUNS + 1;
            new Run(fit, coalescing, seed, capacity, ops).execute();
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
        final Coalescing coalescing;
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
        /** The last operations, for the failure message. */
        final ArrayDeque<String> history = new ArrayDeque<>();
        int step;

        void note(String operation) {
            if (history.size() == 12) {
                history.removeFirst();
            }
            history.addLast(step + ": " + operation);
        }

        Run(Fit fit, Coalescing coalescing, long seed, int capacity, int ops) {
            this.fit = fit;
            this.coalescing = coalescing;
            this.seed = seed;
            this.capacity = capacity;
            this.ops = ops;
            this.random = new SplittableRandom(seed);
            this.order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            this.heap = random.nextInt(4) == 0 ? RawHeaps.allocateDirect(capacity, order)
                    : RawHeaps.allocate(capacity, order);
            this.allocator = build(heap);
            this.model = new EntryListModel(capacity, fit == Fit.BEST, coalescing == Coalescing.BOTH);
        }

        FirstFitAllocator build(RawHeap on) {
            return FirstFitAllocator.builder(on).fit(fit).coalescing(coalescing).criticalSection(new PlainSection())
                    .build();
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
                    if (choice < 42 || blocks.isEmpty()) {
                        allocate();
                    } else if (choice < 76) {
                        freeLive();
                    } else if (choice < 82) {
                        freeArbitrary();
                    } else if (choice < 92) {
                        reallocateLive();
                    } else if (choice < 94) {
                        reallocateArbitrary();
                    } else if (choice < 98) {
                        usableSize();
                    } else {
                        coalesce();
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
                throw new AssertionError("fit " + fit + ", coalescing " + coalescing + ", seed " + seed + ", capacity " + capacity + ", " + order
                        + ", step " + step + " (rerun: -Demballoc.seed=" + seed + " -Demballoc.capacity=" + capacity
                        + "): " + e.getMessage() + "\nlast operations:\n  " + String.join("\n  ", history), e);
            }
        }

        void allocate() {
            int size = size();
            int align = alignment();
            int handle = allocator.allocate(size, align);
            note("allocate(" + size + ", " + align + ") = " + handle);
            int expected = model.allocate(size, align);
            assertEquals(expected, handle, "allocate(" + size + ", " + align + ")");
            if (handle == Allocator.NULL) {
                return;
            }
            assertEquals(0, handle % align, "alignment of " + handle);
            adopt(handle, size, align, model.lastEntry);
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
            note("free(" + target + ") of " + block.handle + " (" + block.size + ")");
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
            int holding = target < 0 ? -1 : model.entryHolding(target);
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
                    Block block = byEntry.get(holding);
                    if (block == null) {
                        fail("free(" + target + ") freed an entry the test never allocated");
                    }
                    forget(block);
            }
        }

        int alignment() {
            return 1 << (random.nextInt(4) == 0 ? random.nextInt(13) : random.nextInt(3));
        }

        void reallocateLive() {
            Block block = blocks.get(random.nextInt(blocks.size()));
            int target = block.handle + (block.size > 1 && random.nextInt(4) == 0 ? random.nextInt(block.size) : 0);
            int size = random.nextInt(3) == 0 ? size() : Math.max(0, block.size + random.nextInt(65) - 32);
            int align = random.nextInt(3) == 0 ? alignment() : block.align;
            checkPayload(block);
            int keep = (int) Math.min(size, (long) block.handle + block.size - target);
            int handle = allocator.reallocate(target, size, align);
            note("reallocate(" + target + ", " + size + ", " + align + ") of " + block.handle + " (" + block.size
                    + ") = " + handle);
            EntryListModel.ReallocResult expected = model.reallocate(target, size, align);
            String call = "reallocate(" + target + ", " + size + ", " + align + ") of " + block.handle + " (" + block.size
                    + " bytes)";
            switch (expected) {
                case FAILED:
                    assertEquals(Allocator.NULL, handle, call);
                    checkPayload(block);
                    return;
                case IN_PLACE:
                    assertEquals(target, handle, call + " in place");
                    break;
                case MOVED:
                    assertEquals(model.reallocated, handle, call + " moved");
                    break;
                default:
                    fail(call + ": the model refused it as " + expected);
            }
            assertEquals(0, handle % align, "alignment of " + handle);
            for (int i = 0; i < keep; i++) {
                if (heap.getByte(handle + i) != block.pattern) {
                    fail(call + ": byte " + i + " of the kept " + keep + " bytes changed");
                }
            }
            forget(block);
            int entry = expected == EntryListModel.ReallocResult.MOVED ? model.lastEntry : block.entry;
            adopt(handle, size, align, entry);
        }

        void reallocateArbitrary() {
            int target = random.nextInt(capacity + 8) - 4;
            int size = size();
            byte[] before = snapshot();
            if (target == Allocator.NULL) {
                int handle = allocator.reallocate(target, size, 1);
                int expected = model.allocate(size, 1);
                assertEquals(expected, handle, "reallocate(NULL, " + size + ")");
                if (handle != Allocator.NULL) {
                    adopt(handle, size, 1, model.lastEntry);
                }
                return;
            }
            int holding = model.entryHolding(target);
            Block block = holding < 0 ? null : byEntry.get(holding);
            if (block != null) {
                return; // a live block: reallocateLive covers those, with payload checks
            }
            EntryListModel.ReallocResult expected = target < 0 ? EntryListModel.ReallocResult.NOT_FOUND
                    : model.reallocate(target, size, 1);
            switch (expected) {
                case NOT_FOUND:
                    assertEquals(target, assertThrows(InvalidFreeException.class,
                            () -> allocator.reallocate(target, size, 1), "reallocate(" + target + ")").handle());
                    break;
                case DOUBLE_FREE:
                    assertEquals(holding, assertThrows(DoubleFreeException.class,
                            () -> allocator.reallocate(target, size, 1), "reallocate(" + target + ")").entryOffset());
                    break;
                default:
                    fail("reallocate(" + target + ") reached a block the test never allocated: " + expected);
            }
            assertUnchanged(before);
        }

        void usableSize() {
            boolean live = !blocks.isEmpty() && random.nextBoolean();
            int target = live ? blocks.get(random.nextInt(blocks.size())).handle : random.nextInt(capacity + 8) - 4;
            int expected = target < 0 ? -1 : model.usableSize(target);
            if (expected >= 0) {
                assertEquals(expected, allocator.usableSize(target), "usableSize(" + target + ")");
            } else if (expected == -2) {
                assertThrows(DoubleFreeException.class, () -> allocator.usableSize(target), "usableSize(" + target + ")");
            } else {
                assertThrows(InvalidFreeException.class, () -> allocator.usableSize(target), "usableSize(" + target + ")");
            }
        }

        void coalesce() {
            note("coalesce()");
            assertEquals(model.coalesce(), allocator.coalesce(), "coalesce()");
        }

        /** Takes a block the allocator handed out into the live set, filled with a fresh pattern. */
        void adopt(int handle, int size, int align, int entry) {
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
            Block block = new Block(handle, size, align, entry, pattern);
            blocks.add(block);
            byEntry.put(block.entry, block);
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
