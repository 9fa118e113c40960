package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.OperationCounts;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance contract of an {@link Allocator}: the promises of its documentation, checked as rules
 * {@code A1} to {@code A30}, including long seeded random operation sequences checked step by step against a
 * model of the live blocks.
 *
 * <p>Implement {@link #newAllocator(RawHeap)} (and {@link #newHeap(int)} to run on your own heap, and
 * {@link #features()} to declare optional behaviour):
 * <pre>{@code
 * class MyAllocatorTest implements AllocatorContract {
 *     @Override
 *     public Allocator newAllocator(RawHeap heap) {
 *         return new MyAllocator(heap);
 *     }
 *
 *     @Override
 *     public Set<AllocatorFeature> features() {
 *         return EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK);
 *     }
 * }
 * }</pre>
 *
 * <p>Rules {@code A1}-{@code A15} and {@code A21}-{@code A28} apply to every allocator; {@code A16}-{@code A20},
 * {@code A29} and {@code A30} check the {@link AllocatorFeature}s and are skipped, naming the feature, when it is
 * not declared. The contract uses heaps of 256 bytes to 64 KiB. A failing random sequence prints its seed, the
 * shortest failing prefix and a reduced trace; {@code -D}{@value #SEED_PROPERTY}{@code =SEED} replays that one
 * seed.
 *
 * <h2>The operations beyond allocate and free</h2>
 * <ul>
 *   <li>{@code usableSize(p)} is exact: the end of the payload of the entry that holds {@code p}, as
 *       {@code walk()} reports it, minus {@code p} ({@code A21}), and it refuses what {@code free} refuses
 *       ({@code A22}).</li>
 *   <li>{@code reallocate} keeps the first {@code min(old, new)} bytes ({@code A23}); it keeps the handle when
 *       the handle is aligned and the bytes it needs end inside the block's own entry or inside the free entry
 *       right after it ({@code A24}; with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT} the entries it leaves are
 *       exactly those of the rules in {@link io.github.emballoc.api.image}); {@code reallocate(NULL, n)}
 *       allocates, and a reallocation that cannot be served returns {@link Allocator#NULL} and changes no byte
 *       ({@code A25}); refused arguments and offsets change nothing ({@code A26}).</li>
 *   <li>{@code free(NULL)} does nothing, as C's {@code free(NULL)} does: no exception, no byte changed
 *       ({@code A27}).</li>
 *   <li>{@code coalesce()} leaves every run of neighbouring free entries as one entry and returns how many
 *       entries it absorbed ({@code A28}).</li>
 *   <li>Bounded views ({@link AllocatorFeature#BOUNDED_VIEWS}, {@code A29}) and operation counts
 *       ({@link AllocatorFeature#OPERATION_COUNTS}, {@code A30}) are features, since a user's heap may give no
 *       views and an allocator may keep no counts.</li>
 * </ul>
 * What a crash between two writes may leave is checked by {@link CrashConsistencyContract}.
 */
public interface AllocatorContract extends JUnitPlatformGuard {

    /** The system property that makes {@code A15} run the one sequence of the given seed (a {@code long}). */
    String SEED_PROPERTY = "emballoc.testkit.seed";

    /**
     * Makes the allocator under test over {@code heap}, which {@link #newHeap(int)} just made (zeroed).
     *
     * @param heap the heap to manage
     * @return a new allocator
     */
    Allocator newAllocator(RawHeap heap);

    /**
     * Makes a new zeroed heap for one allocator. The default is {@link RawHeaps#allocate(int)}; override it
     * to run the contract over another kind of heap.
     *
     * @param capacity the size in bytes, a multiple of 256 from 256 to 65536
     * @return a new zeroed heap, independent of every other
     * @throws Exception if the heap cannot be made (the test fails with it)
     */
    default RawHeap newHeap(int capacity) throws Exception {
        return RawHeaps.allocate(capacity);
    }

    /**
     * Declares the optional behaviour the allocator has; the rules that check a feature run only when it is
     * declared. The default declares none.
     *
     * @return the features, never {@code null}
     */
    default Set<AllocatorFeature> features() {
        return EnumSet.noneOf(AllocatorFeature.class);
    }

    /**
     * Returns the seed of the first random sequence of {@code A15}; the others are derived from it.
     *
     * @return the base seed
     */
    default long randomSeed() {
        return 0x5EED_E3BA_110CL;
    }

    /**
     * Returns how many random sequences {@code A15} runs (on heaps of 1 KiB to 64 KiB).
     *
     * @return the number of sequences, 1 or more
     */
    default int randomSequences() {
        return 6;
    }

    /**
     * Returns how many operations each random sequence of {@code A15} draws (then every live block is
     * freed).
     *
     * @return the number of operations
     */
    default int randomSequenceLength() {
        return 3000;
    }

    private Allocator fresh(int capacity) throws Exception {
        return newAllocator(newHeap(capacity));
    }

    private Set<AllocatorFeature> declared() {
        Set<AllocatorFeature> features = features();
        return features == null ? EnumSet.noneOf(AllocatorFeature.class) : features;
    }

    /**
     * Verifies rule A1: a new allocator over a new heap manages that heap, holds no used block, has free
     * space, and its {@code walk}, {@code stats} and {@code verify} agree. If this fails, check the
     * initialisation of an empty heap and that {@code heap()} returns the heap the allocator was built on.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A1: a new allocator manages its heap, holds nothing and is consistent")
    default void a1_freshAllocatorIsEmptyAndConsistent() throws Exception {
        RawHeap heap = newHeap(1024);
        Allocator allocator = newAllocator(heap);
        assertSame(heap, allocator.heap(), "heap() must return the heap the allocator was built on");
        HeapStats stats = allocator.stats();
        assertEquals(heap.capacity(), stats.capacity(), "stats().capacity() of a fresh allocator");
        assertEquals(0, stats.usedEntries(), "used entries of a fresh allocator: " + stats);
        assertTrue(stats.freeBytes() > 0 && stats.largestFree() > 0, "a fresh allocator has free space: " + stats);
        new LiveBlocks(allocator).checkAgreement("fresh allocator", false);
    }

    /**
     * Verifies rule A2: blocks never overlap each other or leave the heap, down to exhaustion, over mixed
     * sizes and alignments. If this fails, check the split (the remainder's header written over the new
     * block, or the block's size rounded down) and the padding added for alignment.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A2: blocks never overlap each other or leave the heap")
    default void a2_blocksNeverOverlapOrLeaveTheHeap() throws Exception {
        for (int capacity : new int[] {256, 4096}) {
            Allocator allocator = fresh(capacity);
            LiveBlocks model = new LiveBlocks(allocator);
            SplittableRandom random = new SplittableRandom(0xA2L + capacity);
            int failures = 0;
            for (int id = 0; failures < 8; id++) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 12 : capacity / 8);
                int alignment = 1 << random.nextInt(7);
                if (model.allocate(id, size, alignment) == null) {
                    failures++;
                }
            }
            model.checkAllPatterns("heap of " + capacity + " filled");
            model.checkAgreement("heap of " + capacity + " filled", false);
        }
    }

    /**
     * Verifies rule A3: every power-of-two alignment from 1 to 4096 is honoured, whatever was allocated
     * before. If this fails, check the over-allocation for alignment (the block must be at least
     * {@code size} bytes from the rounded-up handle to the end of its entry) and the rounding itself.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A3: alignment is honoured for every power of two up to 4096")
    default void a3_alignmentIsHonoured() throws Exception {
        Allocator allocator = fresh(65536);
        LiveBlocks model = new LiveBlocks(allocator);
        int id = 0;
        for (int alignment = 1; alignment <= 4096; alignment <<= 1) {
            for (int size : new int[] {1, 3, 4, 24, 100}) {
                LiveBlocks.Block shim = model.allocate(id++, 1 + (alignment + size) % 13, 1);
                LiveBlocks.Block block = model.allocate(id++, size, alignment);
                if (block == null) {
                    fail("allocate(" + size + ", " + alignment + ") returned NULL on a heap of 65536 bytes with "
                            + model.count() + " small blocks live: " + allocator.stats());
                }
                model.checkAgreement("after allocate(" + size + ", " + alignment + ")", false);
                allocator.free(block.handle);
                model.remove(block);
                if (shim != null && (alignment & 1) == 0) {
                    allocator.free(shim.handle);
                    model.remove(shim);
                }
            }
        }
        model.checkAllPatterns("after every alignment");
    }

    /**
     * Verifies rule A4: a payload written is read back intact across any other operations: allocations that
     * split its neighbours, frees that merge them. If this fails, check that splitting and merging write only
     * headers of free entries, and never inside a used entry's payload.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A4: payloads survive any other operations")
    default void a4_payloadsSurviveOtherOperations() throws Exception {
        Allocator allocator = fresh(4096);
        LiveBlocks model = new LiveBlocks(allocator);
        List<LiveBlocks.Block> kept = new ArrayList<>();
        List<LiveBlocks.Block> others = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(0xA4L);
        int id = 0;
        for (int i = 0; i < 5; i++) {
            LiveBlocks.Block other = model.allocate(id++, 8 + 8 * i, 1);
            LiveBlocks.Block keep = model.allocate(id++, 17 + 31 * i, 1 << i);
            assertTrue(other != null && keep != null, "a heap of 4096 bytes holds ten small blocks");
            others.add(other);
            kept.add(keep);
        }
        for (int step = 0; step < 400; step++) {
            String context = "operation " + step;
            if (others.isEmpty() || random.nextInt(5) < 3) {
                LiveBlocks.Block block = model.allocate(id++, 1 + random.nextInt(120), 1 << random.nextInt(5));
                if (block != null) {
                    others.add(block);
                    context = "allocate at operation " + step + " (" + block + ")";
                }
            } else {
                LiveBlocks.Block block = others.remove(random.nextInt(others.size()));
                model.checkPattern(block, "before freeing it");
                allocator.free(block.handle);
                model.remove(block);
                context = "free at operation " + step + " (" + block + ")";
            }
            for (LiveBlocks.Block keep : kept) {
                model.checkPattern(keep, "after the " + context);
            }
        }
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", false);
    }

    /**
     * Verifies rule A5: when nothing fits, {@code allocate} returns {@link Allocator#NULL} and changes no byte
     * of the heap, for requests just too big, far too big, and whose padding overflows an {@code int}; every
     * live block stays intact. If this fails, check that the search completes before anything is written, and
     * that {@code size + alignment} is computed without overflowing.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A5: exhaustion returns NULL and changes nothing")
    default void a5_exhaustionReturnsNullAndChangesNothing() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        int id = 0;
        while (model.allocate(id, 24, 1) != null) {
            id++;
        }
        assertTrue(id > 10, "a heap of 1024 bytes holds more than ten blocks of 24 bytes, held " + id);
        int capacity = allocator.heap().capacity();
        int[][] requests = {
            {allocator.stats().largestFree() + 1, 1}, {capacity - 3, 1}, {capacity, 1}, {capacity + 1, 1},
            {Integer.MAX_VALUE, 1}, {Integer.MAX_VALUE, 4096}, {Integer.MAX_VALUE - 2, 8}, {Integer.MAX_VALUE - 4, 1 << 30},
            {capacity / 2, 1 << 30},
        };
        for (int[] request : requests) {
            byte[] before = Checks.snapshot(allocator.heap());
            int handle = allocator.allocate(request[0], request[1]);
            assertEquals(Allocator.NULL, handle, "allocate(" + request[0] + ", " + request[1]
                    + ") on an exhausted heap of " + capacity + " bytes should return NULL");
            Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()),
                    "after allocate(" + request[0] + ", " + request[1] + ") returned NULL");
        }
        model.checkAllPatterns("after the refused requests");
        model.checkAgreement("after the refused requests", false);
    }

    /**
     * Verifies rule A6: {@code allocateOrThrow} returns a block when one fits and otherwise throws
     * {@link HeapExhaustedException} whose message names the request, the largest free entry and the free
     * bytes, changing nothing. If this fails, check the figures put in the exception (they must come from the
     * heap as it is when the request fails).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A6: allocateOrThrow throws HeapExhaustedException naming the figures")
    default void a6_allocateOrThrowNamesTheFigures() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        int handle = allocator.allocateOrThrow(40, 8);
        model.add(0, handle, 40, 8);
        int id = 1;
        while (model.allocate(id, 56, 1) != null) {
            id++;
        }
        HeapStats stats = allocator.stats();
        int request = stats.largestFree() + 1;
        byte[] before = Checks.snapshot(allocator.heap());
        try {
            int unexpected = allocator.allocateOrThrow(request);
            fail("allocateOrThrow(" + request + ") returned " + unexpected + " with the largest free entry "
                    + stats.largestFree() + "; expected HeapExhaustedException");
        } catch (HeapExhaustedException e) {
            assertEquals(request, e.size(), "HeapExhaustedException.size()");
            assertEquals(stats.largestFree(), e.largestFree(), "HeapExhaustedException.largestFree()");
            assertEquals(stats.freeBytes(), e.freeBytes(), "HeapExhaustedException.freeBytes()");
            String message = String.valueOf(e.getMessage());
            for (int figure : new int[] {request, stats.largestFree(), stats.freeBytes()}) {
                assertTrue(message.contains(Integer.toString(figure)), "the HeapExhaustedException message should"
                        + " name " + figure + " (request " + request + ", largest free " + stats.largestFree()
                        + ", free bytes " + stats.freeBytes() + "), was: " + message);
            }
        }
        Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after allocateOrThrow threw");
        model.checkAllPatterns("after allocateOrThrow threw");
        model.checkAgreement("after allocateOrThrow threw", false);
    }

    /**
     * Verifies rule A7: freeing every block, last allocated first, gives back the fresh heap: the same
     * statistics, and the largest block that fitted at the start fits again. If this fails, check the merge
     * of a freed entry with the free entry after it.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A7: freeing every block, last first, restores the fresh heap")
    default void a7_freeingEverythingInReverseRestoresTheHeap() throws Exception {
        Allocator allocator = fresh(4096);
        HeapStats fresh = allocator.stats();
        LiveBlocks model = new LiveBlocks(allocator);
        SplittableRandom random = new SplittableRandom(0xA7L);
        List<LiveBlocks.Block> order = new ArrayList<>();
        for (int id = 0; id < 80; id++) {
            LiveBlocks.Block block = model.allocate(id, random.nextInt(2) == 0 ? 1 + random.nextInt(16)
                    : 1 + random.nextInt(300), 1 << random.nextInt(6));
            if (block != null) {
                order.add(block);
            }
        }
        Collections.reverse(order);
        for (LiveBlocks.Block block : order) {
            model.checkPattern(block, "before freeing it");
            allocator.free(block.handle);
            model.remove(block);
        }
        assertEquals(fresh, allocator.stats(), "stats after freeing " + order.size() + " blocks, last first");
        int handle = allocator.allocate(fresh.largestFree());
        assertNotEquals(Allocator.NULL, handle, "allocate(" + fresh.largestFree()
                + ") fitted in the fresh heap, and must fit again after everything was freed");
        model.add(order.size(), handle, fresh.largestFree(), 1);
        model.checkAgreement("after reallocating the whole heap", false);
    }

    /**
     * Verifies rule A8: freeing a block twice throws {@link DoubleFreeException} naming the offset and
     * changes no byte, also after the freed block merged with its neighbours. If this fails, check that free
     * reads the used bit of the entry it found before writing anything.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A8: a double free throws DoubleFreeException and changes nothing")
    default void a8_doubleFreeIsRefused() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        List<LiveBlocks.Block> blocks = new ArrayList<>();
        for (int id = 0; id < 7; id++) {
            blocks.add(model.allocate(id, 20 + 4 * id, 1));
        }
        int[][] script = {{1}, {1}, {2}, {1, 2}, {5}, {4}, {5, 4}, {6}, {5, 6}, {0}, {0, 1}};
        List<Integer> freed = new ArrayList<>();
        for (int[] step : script) {
            if (step.length == 1 && !freed.contains(step[0])) {
                LiveBlocks.Block block = blocks.get(step[0]);
                allocator.free(block.handle);
                model.remove(block);
                freed.add(step[0]);
                continue;
            }
            for (int index : step) {
                int handle = blocks.get(index).handle;
                byte[] before = Checks.snapshot(allocator.heap());
                try {
                    allocator.free(handle);
                    fail("freeing b" + index + " (offset " + handle + ") again returned normally; expected"
                            + " DoubleFreeException");
                } catch (DoubleFreeException e) {
                    assertEquals(handle, e.handle(), "DoubleFreeException.handle() names the offset freed");
                } catch (InvalidFreeException e) {
                    fail("freeing b" + index + " (offset " + handle + ") again threw InvalidFreeException; the"
                            + " offset lies in a free entry, so it is a DoubleFreeException: " + e);
                }
                Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()),
                        "after the refused double free of b" + index);
            }
            model.checkAgreement("after double frees " + java.util.Arrays.toString(step), false);
        }
        model.checkAllPatterns("at the end");
    }

    /**
     * Verifies rule A9: freeing an offset that no entry's payload holds (negative, at or past the capacity,
     * or inside an entry header) throws {@link InvalidFreeException} naming the offset and changes no byte.
     * If this fails, check the search of the entry that holds an offset: it must compare against the payload
     * range {@code [offset + 4, offset + 4 + size)} of each entry, and stop at the end of the heap.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A9: freeing an offset no block holds throws InvalidFreeException and changes nothing")
    default void a9_invalidFreeIsRefused() throws Exception {
        Allocator allocator = fresh(512);
        LiveBlocks model = new LiveBlocks(allocator);
        for (int id = 0; id < 6; id++) {
            model.allocate(id, 12 + 8 * id, 1 << id);
        }
        allocator.free(model.at(2).handle);
        model.remove(model.at(2));
        int capacity = allocator.heap().capacity();
        List<Integer> offsets = new ArrayList<>(List.of(-2, -4, Integer.MIN_VALUE, capacity, capacity + 1,
                Integer.MAX_VALUE));
        Walk walk = Walk.of(allocator);
        for (int i = 0; i < walk.count(); i++) {
            for (int b = 0; b < Walk.HEADER; b++) {
                offsets.add(walk.offset(i) + b);
            }
        }
        for (int offset : offsets) {
            byte[] before = Checks.snapshot(allocator.heap());
            try {
                allocator.free(offset);
                fail("free(" + offset + ") returned normally; no block holds that offset (walk: " + walk
                        + "), expected InvalidFreeException");
            } catch (InvalidFreeException e) {
                assertEquals(offset, e.handle(), "InvalidFreeException.handle() names the offset freed");
            } catch (RuntimeException e) {
                fail("free(" + offset + ") threw " + e + "; no block holds that offset (walk: " + walk
                        + "), expected InvalidFreeException", e);
            }
            Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after the refused free(" + offset + ")");
        }
        model.checkAllPatterns("after the refused frees");
        model.checkAgreement("after the refused frees", false);
    }

    /**
     * Verifies rule A10: freeing any offset inside a free entry's payload throws {@link DoubleFreeException}
     * (the API's definition of a double free) and changes nothing. If this fails, check that free tells
     * "inside a free entry" apart from "inside no entry".
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A10: freeing inside a free entry throws DoubleFreeException and changes nothing")
    default void a10_freeInsideAFreeEntryIsADoubleFree() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        for (int id = 0; id < 8; id++) {
            model.allocate(id, 16 + 12 * id, 1);
        }
        for (int id : new int[] {1, 4, 5}) {
            allocator.free(model.get(id).handle);
            model.remove(model.get(id));
        }
        Walk walk = Walk.of(allocator);
        int checked = 0;
        for (int i = 0; i < walk.count(); i++) {
            if (walk.used(i) || walk.size(i) == 0) {
                continue;
            }
            for (long offset : new long[] {walk.payloadStart(i), walk.payloadStart(i) + walk.size(i) / 2,
                walk.payloadEnd(i) - 1}) {
                byte[] before = Checks.snapshot(allocator.heap());
                try {
                    allocator.free((int) offset);
                    fail("free(" + offset + ") inside the free entry " + walk.describe(i)
                            + " returned normally; expected DoubleFreeException");
                } catch (DoubleFreeException expected) {
                    checked++;
                } catch (RuntimeException e) {
                    fail("free(" + offset + ") inside the free entry " + walk.describe(i) + " threw " + e
                            + "; expected DoubleFreeException", e);
                }
                Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()),
                        "after the refused free(" + offset + ")");
            }
        }
        assertTrue(checked > 0, "the walk reported no free entry with a payload: " + walk);
        model.checkAllPatterns("after the refused frees");
    }

    /**
     * Verifies rule A11: after every operation of a mixed workload, {@code stats()} equals the sum of the
     * entries {@code walk()} reports, the walk's used entries are exactly the live blocks, and
     * {@code verify()} passes. If this fails, check that stats, walk and verify share one walk of the heap
     * (three loops drift apart).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A11: stats(), walk() and verify() agree after every operation")
    default void a11_statsWalkAndVerifyAgree() throws Exception {
        Allocator allocator = fresh(2048);
        LiveBlocks model = new LiveBlocks(allocator);
        SplittableRandom random = new SplittableRandom(0xA11L);
        for (int step = 0; step < 250; step++) {
            if (model.count() == 0 || random.nextInt(5) < 3) {
                model.allocate(step, 1 + random.nextInt(random.nextBoolean() ? 16 : 400), 1 << random.nextInt(8));
            } else {
                LiveBlocks.Block block = model.random(random);
                allocator.free(block.handle);
                model.remove(block);
            }
            model.checkAgreement("after operation " + step, false);
        }
    }

    /**
     * Verifies rule A12: a negative size or an alignment that is not a positive power of two throws
     * {@link IllegalArgumentException} naming the value and changes nothing, from {@code allocate} and
     * {@code allocateOrThrow} alike; every other request (any size, any power of two up to 2<sup>30</sup>)
     * returns NULL or a valid block, never an exception. If this fails, check the argument checks at the top
     * of allocate ({@code Integer.bitCount}, not {@code x & (x - 1)} alone, which accepts 0 and
     * {@code Integer.MIN_VALUE}).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A12: bad arguments throw IllegalArgumentException naming the value; other requests never throw")
    default void a12_badArgumentsAreRefused() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        model.allocate(0, 100, 16);
        int[][] bad = {
            {-1, 1, -1}, {Integer.MIN_VALUE, 1, Integer.MIN_VALUE}, {-8, 8, -8}, {8, 0, 0}, {8, 3, 3}, {8, 6, 6},
            {8, -8, -8}, {8, Integer.MIN_VALUE, Integer.MIN_VALUE}, {8, Integer.MAX_VALUE, Integer.MAX_VALUE},
            {0, 12, 12},
        };
        for (int[] request : bad) {
            byte[] before = Checks.snapshot(allocator.heap());
            String call = "(" + request[0] + ", " + request[1] + ")";
            for (int variant = 0; variant < 2; variant++) {
                String name = (variant == 0 ? "allocate" : "allocateOrThrow") + call;
                try {
                    int handle = variant == 0 ? allocator.allocate(request[0], request[1])
                            : allocator.allocateOrThrow(request[0], request[1]);
                    fail(name + " returned " + handle + "; expected IllegalArgumentException");
                } catch (IllegalArgumentException e) {
                    assertTrue(String.valueOf(e.getMessage()).contains(Integer.toString(request[2])),
                            name + ": the message should name the bad value " + request[2] + ", was: " + e.getMessage());
                }
                Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after " + name + " was refused");
            }
            if (request[1] == 1) {
                try {
                    allocator.allocate(request[0]);
                    fail("allocate(" + request[0] + ") returned normally; expected IllegalArgumentException");
                } catch (IllegalArgumentException expected) {
                    // refused, as it must be
                }
            }
        }
        int id = 1;
        for (int shift = 0; shift <= 30; shift++) {
            for (int size : new int[] {0, 1, 7, 200, 1 << 20, Integer.MAX_VALUE}) {
                if (size == 0 && !declared().contains(AllocatorFeature.ZERO_SIZE_FREEABLE)) {
                    continue;
                }
                int alignment = 1 << shift;
                int handle;
                try {
                    handle = allocator.allocate(size, alignment);
                } catch (RuntimeException e) {
                    throw new AssertionError("allocate(" + size + ", " + alignment + ") is a valid request and must"
                            + " return NULL or a block, threw " + e, e);
                }
                if (handle != Allocator.NULL) {
                    LiveBlocks.Block block = model.add(id++, handle, size, alignment);
                    allocator.free(block.handle);
                    model.remove(block);
                }
            }
        }
        model.checkAllPatterns("after the requests");
        model.checkAgreement("after the requests", false);
    }

    /**
     * Verifies rule A13: {@code stats().largestFree()} is exactly the largest size that can be allocated
     * with alignment 1: a request of that size succeeds and one byte more returns NULL, on a fragmented heap.
     * If this fails, check that the largest free entry is reported as its payload size and that a request
     * equal to an entry's size is served by it (a {@code >} where {@code >=} belongs).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A13: largestFree is exactly the largest allocatable size")
    default void a13_largestFreeIsExact() throws Exception {
        Allocator allocator = fresh(2048);
        LiveBlocks model = new LiveBlocks(allocator);
        for (int id = 0; id < 24; id++) {
            if (model.allocate(id, 8 + 20 * (id % 5) + 4 * id, 1) == null) {
                break;
            }
        }
        for (int id = 0; id < 24; id += 3) {
            LiveBlocks.Block block = model.get(id);
            if (block != null) {
                allocator.free(block.handle);
                model.remove(block);
            }
        }
        for (int round = 0; round < 4; round++) {
            HeapStats stats = allocator.stats();
            int largest = stats.largestFree();
            byte[] before = Checks.snapshot(allocator.heap());
            assertEquals(Allocator.NULL, allocator.allocate(largest + 1),
                    "allocate(largestFree + 1 = " + (largest + 1) + ") must return NULL; " + stats);
            Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after allocate(largestFree + 1)");
            if (largest == 0) {
                break;
            }
            int handle = allocator.allocate(largest);
            assertNotEquals(Allocator.NULL, handle, "allocate(largestFree = " + largest + ") must succeed; " + stats);
            model.add(100 + round, handle, largest, 1);
            model.checkAgreement("after allocating the largest free entry", false);
        }
        model.checkAllPatterns("at the end");
    }

    /**
     * Verifies rule A14: on an exhausted heap, freeing a block makes room for a request of its size again. If
     * this fails, check that free marks the entry free (and writes the header back in the heap's order).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A14: freed space is reused")
    default void a14_freedSpaceIsReused() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        int id = 0;
        while (model.allocate(id, 40, 1) != null) {
            id++;
        }
        int next = id + 1;
        for (int victim = 1; victim < id; victim += 4) {
            LiveBlocks.Block block = model.get(victim);
            allocator.free(block.handle);
            model.remove(block);
            LiveBlocks.Block again = model.allocate(next++, 40, 1);
            if (again == null) {
                fail("freeing " + block + " on an exhausted heap did not make room for another 40 bytes; "
                        + allocator.stats() + ", walk " + Walk.of(allocator));
            }
        }
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", false);
    }

    /**
     * Verifies rule A15: long seeded random operation sequences (sizes from tiny to near the capacity,
     * alignments up to 4096, frees in random order, occasional double frees) keep every promise at every
     * step, checked against a model of the live blocks; the heap is drained at the end. On failure the
     * message gives the seed, the shortest failing prefix and a reduced trace that replays the failure
     * (with {@code emballoc replay}, for example). If this fails, replay the trace and compare the walk
     * after each step with the heap format's rules.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A15: random operation sequences match the model at every step")
    default void a15_randomSequencesMatchTheModel() throws Exception {
        Set<AllocatorFeature> features = declared();
        RandomWorkload.Factory factory = this::fresh;
        String property = System.getProperty(SEED_PROPERTY);
        if (property != null && !property.isBlank()) {
            RandomWorkload.run(factory, features, Long.parseLong(property.trim()), randomSequenceLength());
            return;
        }
        long seed = randomSeed();
        for (int i = 0; i < randomSequences(); i++) {
            RandomWorkload.run(factory, features, seed + i * 0x9E3779B97F4A7C15L, randomSequenceLength());
        }
    }

    /**
     * Verifies rule A16 (feature {@link AllocatorFeature#FREE_INSIDE_BLOCK}): any offset inside a used entry's
     * payload (its first byte, the handle, its last byte, any byte between) frees that block. If this fails,
     * check the search of the entry that holds an offset.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A16: any offset inside a block frees it (FREE_INSIDE_BLOCK)")
    default void a16_freeInsideBlock() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.FREE_INSIDE_BLOCK, "frees any offset inside a block");
        Allocator allocator = fresh(4096);
        LiveBlocks model = new LiveBlocks(allocator);
        SplittableRandom random = new SplittableRandom(0xA16L);
        for (int round = 0; round < 60; round++) {
            int size = 1 + random.nextInt(90);
            int alignment = 1 << random.nextInt(8);
            LiveBlocks.Block block = model.allocate(round, size, alignment);
            assertTrue(block != null, "a heap of 4096 bytes holds a few small blocks");
            Walk walk = Walk.of(allocator);
            int entry = walk.entryHolding(block.handle, (long) block.handle + size);
            assertTrue(entry >= 0, "the block " + block + " lies in an entry; walk: " + walk);
            long start = walk.payloadStart(entry);
            long end = walk.payloadEnd(entry);
            long[] choices = {start, end - 1, block.handle + size - 1, start + random.nextInt((int) (end - start))};
            long target = choices[round % choices.length];
            try {
                allocator.free((int) target);
            } catch (RuntimeException e) {
                throw new AssertionError("free(" + target + ") inside the entry " + walk.describe(entry) + " of "
                        + block + " threw " + e, e);
            }
            model.remove(block);
            model.checkAgreement("after free(" + target + ") of " + block,
                    declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT));
            if (random.nextBoolean()) {
                model.allocate(1000 + round, 1 + random.nextInt(40), 1);
            }
        }
        model.checkAllPatterns("at the end");
    }

    /**
     * Verifies rule A17 (feature {@link AllocatorFeature#ZERO_SIZE_FREEABLE}): {@code allocate(0)} returns
     * distinct handles inside the heap that {@code free} takes back, and freeing them restores the heap. If
     * this fails, check how a zero request is rounded (emballoc serves it as 4 bytes).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A17: zero-size blocks are distinct and freeable (ZERO_SIZE_FREEABLE)")
    default void a17_zeroSizeBlocks() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.ZERO_SIZE_FREEABLE, "zero-size blocks can be freed");
        Allocator allocator = fresh(256);
        HeapStats fresh = allocator.stats();
        LiveBlocks model = new LiveBlocks(allocator);
        List<LiveBlocks.Block> blocks = new ArrayList<>();
        for (int id = 0; id < 12; id++) {
            LiveBlocks.Block block = model.allocate(id, 0, id % 3 == 0 ? 1 : 8);
            assertTrue(block != null, "allocate(0) on a heap of 256 bytes with " + id + " zero-size blocks");
            blocks.add(block);
        }
        model.checkAgreement("with twelve zero-size blocks", false);
        Collections.reverse(blocks);
        for (LiveBlocks.Block block : blocks) {
            allocator.free(block.handle);
            model.remove(block);
        }
        assertEquals(fresh, allocator.stats(), "stats after freeing every zero-size block, last first");
    }

    /**
     * Verifies rule A18 (feature {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}): a zeroed heap becomes one free
     * entry of {@code capacity - 4}; after every operation the headers in the heap are
     * {@code (size << 1) | used} in the heap's order and tile it; a second allocator attached to the heap sees
     * the same entries and can free the first one's blocks; a corrupt image is refused with
     * {@link HeapCorruptedException} naming the bad header's offset, the bytes untouched. If this fails,
     * compare the heap's bytes with {@code heap-format.md}.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A18: the heap holds emballoc's image (EMBALLOC_IMAGE_FORMAT)")
    default void a18_emballocImage() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.EMBALLOC_IMAGE_FORMAT, "the heap holds emballoc's image");
        RawHeap heap = newHeap(1024);
        Allocator allocator = newAllocator(heap);
        Walk initial = Walk.of(allocator);
        assertTrue(initial.count() == 1 && !initial.used(0) && initial.offset(0) == 0
                && initial.size(0) == heap.capacity() - Walk.HEADER,
                "a zeroed heap of 1024 bytes is one free entry of 1020 bytes at offset 0, walk was " + initial);
        assertEquals((heap.capacity() - Walk.HEADER) << 1, heap.getInt(0), "the header word of the fresh image");
        LiveBlocks model = new LiveBlocks(allocator);
        SplittableRandom random = new SplittableRandom(0xA18L);
        for (int step = 0; step < 120; step++) {
            if (model.count() == 0 || random.nextInt(5) < 3) {
                model.allocate(step, random.nextInt(2) == 0 ? 1 + random.nextInt(12) : 1 + random.nextInt(90),
                        1 << random.nextInt(6));
            } else {
                LiveBlocks.Block block = model.random(random);
                allocator.free(block.handle);
                model.remove(block);
            }
            model.checkAgreement("after operation " + step, true);
        }
        Walk before = Walk.of(allocator);
        byte[] image = Checks.snapshot(heap);
        Allocator attached = newAllocator(heap);
        Walk after = Walk.of(attached);
        assertTrue(before.sameEntries(after), "an allocator attached to an existing image walks " + after
                + ", the image holds " + before);
        Checks.assertSameBytes(image, Checks.snapshot(heap), "attaching to an image must not write it");
        attached.verify();
        LiveBlocks.Block first = model.count() > 0 ? model.at(0) : null;
        if (first != null) {
            attached.free(first.handle);
            model.remove(first);
        }
        model.checkAllPatterns("after attaching a second allocator");

        int[][] corrupt = {
            {0, (2000 << 1) | 1},                // runs past the capacity
            {0, (6 << 1)},                       // a size that is not a multiple of 4
            {0, (8 << 1) | 1, 12, (7 << 1)},     // a good entry, then a bad one at offset 12
            {0, (8 << 1), 12, (1012 << 1) | 1},  // a good free entry, then one 4 bytes past the end
        };
        for (int[] words : corrupt) {
            RawHeap bad = newHeap(1024);
            for (int i = 0; i < words.length; i += 2) {
                bad.putInt(words[i], words[i + 1]);
            }
            int badOffset = words[words.length - 2];
            byte[] badImage = Checks.snapshot(bad);
            HeapCorruptedException refused = null;
            try {
                Allocator onBad = newAllocator(bad);
                onBad.verify();
            } catch (HeapCorruptedException e) {
                refused = e;
            }
            if (refused == null) {
                fail("an image whose header at offset " + badOffset + " is 0x"
                        + Integer.toHexString(words[words.length - 1]) + " was accepted by the allocator and verify()");
            }
            assertEquals(badOffset, refused.offset(), "HeapCorruptedException.offset() names the bad header: "
                    + refused.getMessage());
            Checks.assertSameBytes(badImage, Checks.snapshot(bad), "a refused corrupt image must not be written");
        }
    }

    /**
     * Verifies rule A19 (feature {@link AllocatorFeature#THREAD_SAFE}): four threads allocating, writing,
     * checking and freeing blocks of one allocator at once never get overlapping blocks or lose a payload,
     * and the heap is sound and empty afterwards. If this fails, check that every operation (walks and stats
     * included) runs inside the critical section, and that the section admits several threads.
     *
     * @throws Exception if {@link #newHeap(int)} throws, or the test is interrupted
     */
    @Test
    @DisplayName("A19: operations from several threads at once keep every promise (THREAD_SAFE)")
    default void a19_threadSafety() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.THREAD_SAFE, "may be shared between threads");
        Allocator allocator = fresh(65536);
        RawHeap heap = allocator.heap();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    concurrentWorker(allocator, heap, worker);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "allocator-contract-A19-" + t);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : workers) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                fail(thread.getName() + " did not finish within 60 s: a deadlock or livelock in the allocator");
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " thread(s) failed; the first: "
                    + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        HeapStats stats = allocator.stats();
        assertEquals(0, stats.usedEntries(), "every thread freed its blocks: " + stats);
        allocator.verify();
        Walk.of(allocator).checkStructure(heap.capacity(), "after the threads");
    }

    private static void concurrentWorker(Allocator allocator, RawHeap heap, int worker) {
        SplittableRandom random = new SplittableRandom(0xA19L + worker);
        List<int[]> mine = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            if (mine.isEmpty() || (random.nextInt(5) < 3 && mine.size() < 40)) {
                int size = 1 + random.nextInt(200);
                int alignment = 1 << random.nextInt(7);
                int handle = allocator.allocate(size, alignment);
                if (handle != Allocator.NULL) {
                    if (handle % alignment != 0 || handle < 0 || (long) handle + size > heap.capacity()) {
                        fail("thread " + worker + ": allocate(" + size + ", " + alignment + ") returned " + handle);
                    }
                    byte tag = (byte) (worker * 64 + step);
                    heap.fill(handle, size, tag);
                    mine.add(new int[] {handle, size, tag});
                }
            } else {
                int[] block = mine.remove(random.nextInt(mine.size()));
                for (int i = 0; i < block[1]; i++) {
                    if (heap.getByte(block[0] + i) != (byte) block[2]) {
                        fail("thread " + worker + ": the block at " + block[0] + " (" + block[1] + " bytes) was"
                                + " changed at offset " + (block[0] + i) + ": another thread's block overlaps it,"
                                + " or the allocator wrote into it");
                    }
                }
                allocator.free(block[0]);
            }
        }
        for (int[] block : mine) {
            allocator.free(block[0]);
        }
    }

    /**
     * Verifies rule A20 (feature {@link AllocatorFeature#COALESCES_FULLY}): after every operation (allocations,
     * frees in random order, reallocations that shrink, grow or move) no two visited free entries are
     * neighbours, and freeing every block leaves one free entry: the fresh heap's (the same statistics), or with
     * {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT} that entry 4 bytes short when a split left the never-visited
     * 4-byte entry at the end of the heap. An allocator that merges a
     * freed block only with the entry after it ({@link io.github.emballoc.api.Coalescing#FORWARD}) fails this
     * rule, so it must not declare the feature. If this fails, check the merge with the free entry before a
     * freed one, and that the free step of a moving reallocation uses the same merge.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A20: free neighbours are always merged, and freeing every block restores the fresh heap"
            + " (COALESCES_FULLY)")
    default void a20_freeingInAnyOrderRestoresTheHeap() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.COALESCES_FULLY, "merges free neighbours on both sides");
        Allocator allocator = fresh(4096);
        HeapStats fresh = allocator.stats();
        LiveBlocks model = new LiveBlocks(allocator);
        boolean image = declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
        SplittableRandom random = new SplittableRandom(0xA20L);
        for (int id = 0; id < 60; id++) {
            model.allocate(id, 1 + random.nextInt(120), 1 << random.nextInt(5));
        }
        int id = 60;
        for (int step = 0; model.count() > 0; step++) {
            LiveBlocks.Block block = model.random(random);
            String operation;
            int kind = random.nextInt(10);
            if (kind < 2 && step < 200) {
                int size = 1 + random.nextInt(block.size * 2);
                operation = "reallocate(" + block.handle + ", " + size + ") of " + block;
                model.reallocate(block, size, 1, image);
            } else if (kind < 3 && step < 200) {
                LiveBlocks.Block added = model.allocate(id++, 1 + random.nextInt(120), 1);
                operation = "allocate, giving " + added;
            } else {
                operation = "free(" + block.handle + ") of " + block;
                allocator.free(block.handle);
                model.remove(block);
            }
            Walk walk = Walk.of(allocator);
            String pair = walk.neighbouringFreePair();
            if (pair != null) {
                fail("after " + operation + " (operation " + step + ") the free entries " + pair + " are"
                        + " neighbours; an allocator that declares COALESCES_FULLY merges them; walk: " + walk);
            }
        }
        model.checkFullyCoalesced(fresh, image, "after freeing every block in random order");
    }

    /**
     * Verifies rule A21: {@code usableSize(handle)} of a new block, for sizes from 1 to 99 bytes and alignments
     * from 1 to 256, is at least the size asked for and exactly the end of the payload of the entry that holds
     * the block, as {@code walk()} reports it, minus the handle; with {@link AllocatorFeature#FREE_INSIDE_BLOCK},
     * {@code usableSize(p)} of any offset {@code p} inside the block is that end minus {@code p}. If this fails,
     * check that usableSize finds the entry as free does and subtracts the handle from its payload's end (not
     * from the header, and not the size asked for).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A21: usableSize is the end of the block's payload minus the handle")
    default void a21_usableSizeIsExact() throws Exception {
        Allocator allocator = fresh(16384);
        LiveBlocks model = new LiveBlocks(allocator);
        boolean inside = declared().contains(AllocatorFeature.FREE_INSIDE_BLOCK);
        int smallest = declared().contains(AllocatorFeature.ZERO_SIZE_FREEABLE) ? 0 : 1;
        SplittableRandom random = new SplittableRandom(0xA21L);
        int id = 0;
        for (int alignment = 1; alignment <= 256; alignment <<= 1) {
            for (int size : new int[] {smallest, 1, 3, 4, 5, 17, 64, 99}) {
                LiveBlocks.Block block = model.allocate(id++, size, alignment);
                if (block == null) {
                    fail("allocate(" + size + ", " + alignment + ") returned NULL on a heap of 16384 bytes holding "
                            + model.count() + " small blocks: " + allocator.stats());
                }
                Walk walk = Walk.of(allocator);
                int entry = walk.entryHolding(block.handle, (long) block.handle + Math.max(size, 1));
                assertTrue(entry >= 0 && walk.used(entry), "the block " + block + " lies in a used entry; walk: "
                        + walk);
                long end = walk.payloadEnd(entry);
                int usable = allocator.usableSize(block.handle);
                assertEquals(end - block.handle, usable, "usableSize(" + block.handle + ") of " + block
                        + " in the entry " + walk.describe(entry) + " (its payload ends at " + end + ")");
                assertTrue(usable >= size, "usableSize(" + block.handle + ") is " + usable + ", less than the "
                        + size + " bytes allocated");
                if (inside) {
                    for (long offset : new long[] {walk.payloadStart(entry), block.handle + size / 2, end - 1}) {
                        assertEquals(end - offset, allocator.usableSize((int) offset), "usableSize(" + offset
                                + ") inside the entry " + walk.describe(entry) + " of " + block);
                    }
                }
                if (random.nextBoolean()) {
                    allocator.free(block.handle);
                    model.remove(block);
                }
            }
        }
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", false);
    }

    /**
     * Verifies rule A22: {@code usableSize} refuses what {@code free} refuses, and changes nothing: an offset
     * inside a free entry throws {@link DoubleFreeException}, and an offset that no entry's payload holds
     * ({@link Allocator#NULL}, negative, at or past the capacity, inside a header) throws
     * {@link InvalidFreeException}, each naming the offset. If this fails, check that usableSize reads the used
     * bit of the entry it finds, and shares free's search.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A22: usableSize refuses what free refuses and changes nothing")
    default void a22_usableSizeIsRefusedLikeFree() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = withTwoFreeEntries(allocator);
        Walk walk = Walk.of(allocator);
        for (long offset : freeOffsets(walk)) {
            refused(allocator, "usableSize", (int) offset, true, () -> allocator.usableSize((int) offset), walk);
        }
        for (int offset : invalidOffsets(walk, allocator.heap().capacity(), true)) {
            refused(allocator, "usableSize", offset, false, () -> allocator.usableSize(offset), walk);
        }
        model.checkAllPatterns("after the refused calls");
        model.checkAgreement("after the refused calls", false);
    }

    /**
     * Verifies rule A23: a reallocation keeps the first {@code min(old size, new size)} bytes of the block,
     * whether it shrinks, grows in place or moves, and with any alignment; the result is aligned, overlaps no
     * other live block, has a usable size of at least the new size, and every other block is intact; a
     * reallocation that returns {@link Allocator#NULL} leaves the old block as it was. If this fails, check the
     * copy of a moving reallocation (from the handle, {@code min(new size, usable size)} bytes, before the old
     * block is freed) and that a split in place writes only past the new size.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A23: reallocate keeps the payload up to the smaller of the two sizes")
    default void a23_reallocateKeepsThePayload() throws Exception {
        Allocator allocator = fresh(8192);
        LiveBlocks model = new LiveBlocks(allocator);
        boolean image = declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
        int smallest = declared().contains(AllocatorFeature.ZERO_SIZE_FREEABLE) ? 0 : 1;
        SplittableRandom random = new SplittableRandom(0xA23L);
        int id = 0;
        for (; id < 14; id++) {
            model.allocate(id, 1 + random.nextInt(200), 1);
        }
        for (int step = 0; step < 300; step++) {
            if (model.count() == 0 || random.nextInt(8) == 0) {
                model.allocate(id++, 1 + random.nextInt(200), 1 << random.nextInt(4));
                continue;
            }
            LiveBlocks.Block block = model.random(random);
            int kind = random.nextInt(4);
            int size = kind == 0 ? smallest + random.nextInt(block.size + 1 - smallest)
                    : kind == 1 ? block.size + 1 + random.nextInt(16)
                    : kind == 2 ? block.size + random.nextInt(600) : random.nextInt(3000);
            size = Math.max(size, smallest);
            int alignment = random.nextInt(3) == 0 ? 1 << random.nextInt(7) : 1;
            model.reallocate(block, size, alignment, image);
            model.checkAllPatterns("after reallocating " + block + " to " + size + " bytes aligned to " + alignment
                    + " (step " + step + ")");
            if (step % 20 == 0) {
                model.checkAgreement("after step " + step, image);
            }
        }
        model.checkAgreement("at the end", image);
    }

    /**
     * Verifies rule A24: a reallocation whose handle is aligned stays in place (returns the same handle) when the
     * block shrinks, keeps its size, or grows into the free entry right after it (partly, exactly, and with a
     * free tail merged into a free neighbour); it moves when the handle is not aligned to the new alignment, or
     * when the entry after the block is used. With {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT} the entries
     * it leaves are exactly those of the rules in {@link io.github.emballoc.api.image}, and a reallocation to
     * the same entry size writes nothing. With {@link AllocatorFeature#ZERO_SIZE_FREEABLE}, a reallocation to 0
     * bytes of a block whose handle lies past the start of its entry's payload keeps the handle inside the block
     * (it is still the block's handle: usableSize and free take it). If this fails, check the in-place cases of
     * reallocate before its moving case (a reallocation that allocates, copies and frees whenever it grows keeps
     * the bytes, but breaks the promise of {@link Allocator#reallocate(int, int, int)}), and the size a zero-size
     * reallocation keeps.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A24: reallocate stays in place when the block can shrink or grow into the free entry after it")
    default void a24_reallocateStaysInPlaceWhenItCan() throws Exception {
        Allocator allocator = fresh(4096);
        LiveBlocks model = new LiveBlocks(allocator);
        boolean image = declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
        for (int id = 0; id < 6; id++) {
            assertTrue(model.allocate(id, 64, 1) != null, "a heap of 4096 bytes holds six blocks of 64 bytes");
        }
        LiveBlocks.Block a = model.get(0);
        LiveBlocks.Block b = model.get(1);
        LiveBlocks.Block c = model.get(2);

        a = inPlace(model, a, 24, image, "shrink with a used entry after it");
        byte[] before = Checks.snapshot(allocator.heap());
        int usable = allocator.usableSize(b.handle);
        b = inPlace(model, b, usable, image, "the same size");
        if (image) {
            Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()),
                    "a reallocation to the block's own usable size writes nothing");
        }
        allocator.free(model.get(3).handle);
        model.remove(model.get(3));
        c = inPlace(model, c, 104, image, "grow into part of the free entry after it");
        Walk walk = Walk.of(allocator);
        int entry = walk.entryHolding(c.handle, c.handle + 1L);
        assertTrue(entry + 1 < walk.count() && !walk.used(entry + 1), "after growing " + c + " into part of the"
                + " free entry after it, a free entry is left after it; walk: " + walk);
        c = inPlace(model, c, (int) (walk.payloadEnd(entry + 1) - c.handle) - 2, image,
                "grow into all of the free entry after it");
        allocator.free(model.get(4).handle);
        model.remove(model.get(4));
        c = inPlace(model, c, 20, image, "shrink with a free entry after it, which the tail merges with");

        LiveBlocks.Block moved = model.reallocate(b, 300, 1, image);
        assertTrue(moved != null && moved.handle != b.handle, "reallocating " + b + " to 300 bytes with a used"
                + " entry after it must move it, returned " + (moved == null ? "NULL" : moved.handle));
        LiveBlocks.Block odd = model.allocate(10, 40, 1);
        LiveBlocks.Block spare = model.allocate(11, 8, 1);
        assertTrue(odd != null && spare != null, "a heap of 4096 bytes has room for two small blocks");
        int alignment = Integer.lowestOneBit(odd.handle) * 2;
        LiveBlocks.Block aligned = model.reallocate(odd, 16, alignment, image);
        assertTrue(aligned != null && aligned.handle != odd.handle, "reallocating " + odd + " to 16 bytes aligned"
                + " to " + alignment + " must move it (its handle is not a multiple of " + alignment + "), returned "
                + (aligned == null ? "NULL" : aligned.handle));
        inPlace(model, aligned, 8, image, "shrink keeping an alignment the handle has");
        if (declared().contains(AllocatorFeature.ZERO_SIZE_FREEABLE)) {
            LiveBlocks.Block shifted = null;
            for (int id = 20; id < 28 && shifted == null; id++) {
                LiveBlocks.Block block = model.allocate(id, 1, 64);
                Walk now = Walk.of(allocator);
                if (block != null && now.payloadStart(now.entryHolding(block.handle, block.handle + 1L)) < block.handle) {
                    shifted = block;
                }
                model.allocate(100 + id, 4, 1);
            }
            assertTrue(shifted != null, "eight blocks aligned to 64 on a heap of 4096 bytes, none with its handle"
                    + " past the start of its entry's payload: " + Walk.of(allocator));
            inPlace(model, shifted, 0, image, "shrink to 0 bytes, the handle past the start of the payload: the handle"
                    + " must stay inside the block");
            allocator.free(model.get(shifted.id).handle);
            model.remove(model.get(shifted.id));
        }
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", image);
    }

    /** Reallocates a block that must stay in place, through the model (which fails if it moves). */
    private static LiveBlocks.Block inPlace(LiveBlocks model, LiveBlocks.Block block, int size, boolean image,
                                            String what) {
        LiveBlocks.Block after = model.reallocate(block, size, 1, image);
        if (after == null || after.handle != block.handle) {
            fail("reallocate(" + block.handle + ", " + size + ") of " + block + " (" + what + ") must stay in place,"
                    + " returned " + (after == null ? "NULL" : after.handle));
        }
        model.checkAgreement("after reallocate(" + block.handle + ", " + size + ") (" + what + ")", image);
        return after;
    }

    /**
     * Verifies rule A25: {@code reallocate(NULL, size, alignment)} allocates as {@code allocate} does (an aligned
     * block that overlaps no other), or returns {@link Allocator#NULL} when nothing fits; a reallocation of a
     * live block that must move and finds no room (or whose size can never fit, up to
     * {@code Integer.MAX_VALUE}) returns {@link Allocator#NULL}, changes no byte of the heap, and leaves the old
     * block live, intact and freeable. If this fails, check that the moving case allocates before it writes
     * anything, and frees the old block only after a successful allocation.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A25: reallocate(NULL) allocates; a reallocation that cannot be served returns NULL, changing nothing")
    default void a25_reallocateOfNullAndFailedReallocation() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        RawHeap heap = allocator.heap();
        int id = 0;
        int[][] requests = {{24, 1}, {40, 16}, {1, 1}, {7, 64}};
        for (int[] request : requests) {
            int handle = allocator.reallocate(Allocator.NULL, request[0], request[1]);
            assertNotEquals(Allocator.NULL, handle, "reallocate(NULL, " + request[0] + ", " + request[1]
                    + ") on a heap of 1024 bytes with " + model.count() + " small blocks");
            model.add(id++, handle, request[0], request[1]);
        }
        int handle = allocator.reallocate(Allocator.NULL, 16);
        assertNotEquals(Allocator.NULL, handle, "reallocate(NULL, 16) on a heap of 1024 bytes");
        model.add(id++, handle, 16, 1);
        LiveBlocks.Block victim = model.allocate(id++, 100, 1);
        assertTrue(victim != null, "a heap of 1024 bytes has room for 100 more bytes");
        while (model.allocate(id, 24, 1) != null) {
            id++;
        }
        int capacity = heap.capacity();
        int[][] hopeless = {{600, 1}, {capacity, 1}, {Integer.MAX_VALUE, 1}, {Integer.MAX_VALUE - 3, 4096},
            {capacity / 2, 1 << 30}};
        for (int[] request : hopeless) {
            byte[] before = Checks.snapshot(heap);
            String call = "reallocate(" + victim.handle + ", " + request[0] + ", " + request[1] + ") of " + victim;
            int result = allocator.reallocate(victim.handle, request[0], request[1]);
            assertEquals(Allocator.NULL, result, call + " on a full heap of " + capacity + " bytes must return NULL");
            Checks.assertSameBytes(before, Checks.snapshot(heap), "after " + call + " returned NULL");
            model.checkPattern(victim, "after " + call + " returned NULL");
            before = Checks.snapshot(heap);
            result = allocator.reallocate(Allocator.NULL, request[0], request[1]);
            assertEquals(Allocator.NULL, result, "reallocate(NULL, " + request[0] + ", " + request[1]
                    + ") on a full heap must return NULL");
            Checks.assertSameBytes(before, Checks.snapshot(heap), "after reallocate(NULL, " + request[0] + ", "
                    + request[1] + ") returned NULL");
        }
        model.checkAgreement("after the failed reallocations", false);
        allocator.free(victim.handle);
        model.remove(victim);
        model.checkAllPatterns("at the end");
        model.checkAgreement("after freeing the block whose reallocations failed", false);
    }

    /**
     * Verifies rule A26: {@code reallocate} refuses bad arguments and offsets and changes nothing: a negative
     * size or an alignment that is not a power of two throws {@link IllegalArgumentException} naming the value
     * (for {@link Allocator#NULL} too), an offset inside a free entry throws {@link DoubleFreeException}, and an
     * offset that no entry's payload holds throws {@link InvalidFreeException}, each naming the offset. If this
     * fails, check the argument checks and the search for the used entry, all before the first write.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A26: reallocate refuses bad arguments and offsets, changing nothing")
    default void a26_reallocateRefusalsChangeNothing() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = withTwoFreeEntries(allocator);
        RawHeap heap = allocator.heap();
        int live = model.get(2).handle;
        int[][] bad = {
            {live, -1, 1, -1}, {live, Integer.MIN_VALUE, 1, Integer.MIN_VALUE}, {live, 8, 0, 0}, {live, 8, 3, 3},
            {live, 8, -8, -8}, {live, 8, Integer.MIN_VALUE, Integer.MIN_VALUE}, {Allocator.NULL, -4, 1, -4},
            {Allocator.NULL, 8, 6, 6},
        };
        for (int[] request : bad) {
            String call = "reallocate(" + request[0] + ", " + request[1] + ", " + request[2] + ")";
            byte[] before = Checks.snapshot(heap);
            try {
                int handle = allocator.reallocate(request[0], request[1], request[2]);
                fail(call + " returned " + handle + "; expected IllegalArgumentException");
            } catch (IllegalArgumentException e) {
                assertTrue(String.valueOf(e.getMessage()).contains(Integer.toString(request[3])), call
                        + ": the message should name the bad value " + request[3] + ", was: " + e.getMessage());
            }
            Checks.assertSameBytes(before, Checks.snapshot(heap), "after " + call + " was refused");
        }
        Walk walk = Walk.of(allocator);
        for (long offset : freeOffsets(walk)) {
            refused(allocator, "reallocate", (int) offset, true, () -> allocator.reallocate((int) offset, 8), walk);
        }
        for (int offset : invalidOffsets(walk, heap.capacity(), false)) {
            refused(allocator, "reallocate", offset, false, () -> allocator.reallocate(offset, 8), walk);
        }
        model.checkAllPatterns("after the refused reallocations");
        model.checkAgreement("after the refused reallocations", false);
    }

    /**
     * Verifies rule A27: {@code free(NULL)} does nothing, as C's {@code free(NULL)} does (the decided behaviour,
     * in {@link Allocator#free(int)}): it returns normally, on a fresh heap and on one holding blocks, and
     * changes no byte (nor the counts, with {@link AllocatorFeature#OPERATION_COUNTS}). If this fails, check
     * that free returns before any search or check when the handle is {@link Allocator#NULL}.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A27: free(NULL) does nothing")
    default void a27_freeOfNullDoesNothing() throws Exception {
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        boolean counted = declared().contains(AllocatorFeature.OPERATION_COUNTS);
        for (int round = 0; round < 3; round++) {
            byte[] before = Checks.snapshot(allocator.heap());
            Object counts = counted ? allocator.counts() : null;
            try {
                allocator.free(Allocator.NULL);
            } catch (RuntimeException e) {
                throw new AssertionError("free(NULL) with " + model.count() + " blocks live threw " + e
                        + "; it must do nothing, as C's free(NULL) does", e);
            }
            Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after free(NULL)");
            if (counted) {
                assertEquals(counts, allocator.counts(), "free(NULL) is not counted");
            }
            model.checkAgreement("after free(NULL)", false);
            for (int i = 0; i < 4; i++) {
                model.allocate(10 * round + i, 20 + 12 * i, 1);
            }
        }
        model.checkAllPatterns("at the end");
    }

    /**
     * Verifies rule A28: {@code coalesce()} leaves every run of neighbouring free entries (in walk order) as one
     * free entry from the run's first header to the end of its last payload, changes no other entry and no
     * payload, and returns the number of entries it absorbed (a run of {@code k} counts {@code k - 1}), checked
     * against the walk before it: on a fresh heap, on a heap whose blocks were freed in runs (one reaching the
     * end of the heap), and once more right after (0). If this fails, check the end of the walk (a run that
     * reaches the last entry must be merged too) and the count.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A28: coalesce merges every run of free neighbours and returns how many it absorbed")
    default void a28_coalesceMergesEveryRun() throws Exception {
        Allocator allocator = fresh(4096);
        LiveBlocks model = new LiveBlocks(allocator);
        assertEquals(0, model.coalesce(), "coalesce() on a fresh heap");
        SplittableRandom random = new SplittableRandom(0xA28L);
        int blocks = 0;
        while (blocks < 40 && model.allocate(blocks, 8 + random.nextInt(60), 1) != null) {
            blocks++;
        }
        int[][] runs = {{2, 3, 4}, {10, 11}, {20, 21, 22, 23, 24}, {30, 32}, {blocks - 3, blocks - 2, blocks - 1}};
        for (int[] run : runs) {
            for (int id : run) {
                LiveBlocks.Block block = model.get(id);
                if (block != null) {
                    allocator.free(block.handle);
                    model.remove(block);
                }
            }
        }
        model.coalesce();
        assertEquals(0, model.coalesce(), "coalesce() right after coalesce()");
        model.checkAllPatterns("after coalesce()");
        model.checkAgreement("after coalesce()", declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT));
        LiveBlocks.Block large = model.allocate(1000, 150, 1);
        assertTrue(large != null, "after coalesce() a heap of 4096 bytes has room for 150 bytes");
        model.checkAllPatterns("at the end");
    }

    /**
     * Verifies rule A29 (feature {@link AllocatorFeature#BOUNDED_VIEWS}): {@code view(h)} is a buffer of exactly
     * {@code usableSize(h)} bytes and {@code view(h, n)} one of exactly {@code n}, at position 0, in the heap's
     * byte order, sharing the block's bytes both ways; a write past the end of either throws
     * ({@link IndexOutOfBoundsException} or {@link BufferOverflowException}) and changes no byte of the heap, so
     * the next header stays intact; {@code view(h, n)} with {@code n} negative or above the usable size throws
     * {@link IllegalArgumentException} naming both; views of free entries and of offsets no block holds are
     * refused as free refuses them. If this fails, check the length the view is made with (the usable size from
     * the handle, not the entry's payload size) and that the heap's views are slices.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A29: views of a block have exactly its size, share its bytes, and stop at its end (BOUNDED_VIEWS)")
    default void a29_boundedViews() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.BOUNDED_VIEWS, "gives bounded ByteBuffer views of blocks");
        Allocator allocator = fresh(4096);
        RawHeap heap = allocator.heap();
        LiveBlocks model = new LiveBlocks(allocator);
        int id = 0;
        for (int size : new int[] {1, 5, 24, 100}) {
            for (int alignment : new int[] {1, 16}) {
                assertTrue(model.allocate(id++, size, alignment) != null, "a heap of 4096 bytes holds eight blocks");
            }
        }
        for (LiveBlocks.Block block : model.blocks()) {
            int usable = allocator.usableSize(block.handle);
            checkView(allocator, block, allocator.view(block.handle), usable, "view(" + block.handle + ")");
            checkView(allocator, block, allocator.view(block.handle, block.size), block.size,
                    "view(" + block.handle + ", " + block.size + ")");
            for (int length : new int[] {usable + 1, -1}) {
                byte[] before = Checks.snapshot(heap);
                try {
                    allocator.view(block.handle, length);
                    fail("view(" + block.handle + ", " + length + ") of " + block + ", whose usable size is " + usable
                            + ", returned normally; expected IllegalArgumentException");
                } catch (IllegalArgumentException e) {
                    String message = String.valueOf(e.getMessage());
                    assertTrue(message.contains(Integer.toString(length)) && message.contains(Integer.toString(usable)),
                            "the message of view(" + block.handle + ", " + length + ") should name " + length
                                    + " and the usable size " + usable + ", was: " + message);
                }
                Checks.assertSameBytes(before, Checks.snapshot(heap), "after view(" + block.handle + ", " + length
                        + ") was refused");
            }
        }
        for (int victim : new int[] {2, 5}) {
            allocator.free(model.get(victim).handle);
            model.remove(model.get(victim));
        }
        Walk walk = Walk.of(allocator);
        for (long offset : freeOffsets(walk)) {
            refused(allocator, "view", (int) offset, true, () -> allocator.view((int) offset), walk);
        }
        for (int offset : invalidOffsets(walk, heap.capacity(), true)) {
            refused(allocator, "view", offset, false, () -> allocator.view(offset), walk);
        }
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", false);
    }

    private static void checkView(Allocator allocator, LiveBlocks.Block block, ByteBuffer view, int length,
                                  String call) {
        RawHeap heap = allocator.heap();
        String what = call + " of " + block;
        assertEquals(0, view.position(), what + ": position");
        assertEquals(length, view.limit(), what + ": limit");
        assertEquals(length, view.capacity(), what + ": capacity (a view ends where the block does)");
        assertEquals(heap.order(), view.order(), what + ": byte order");
        for (int i = 0; i < Math.min(length, block.size); i++) {
            assertEquals(LiveBlocks.patternByte(block.id, i), view.get(i), what + ": byte " + i
                    + " of the view is the block's byte " + i);
        }
        int last = length - 1;
        byte old = heap.getByte(block.handle + last);
        view.put(last, (byte) ~old);
        assertEquals((byte) ~old, heap.getByte(block.handle + last), what + ": a write through the view at " + last
                + " is seen at heap offset " + (block.handle + last));
        heap.putByte(block.handle + last, old);
        assertEquals(old, view.get(last), what + ": a write to heap offset " + (block.handle + last)
                + " is seen through the view at " + last);
        byte[] before = Checks.snapshot(heap);
        Walk walk = Walk.of(allocator);
        List<Runnable> pastTheEnd = List.of(
            () -> view.put(length, (byte) 0x5A),
            () -> view.putInt(Math.max(0, length - 3), 0x5A5A5A5A),
            () -> view.putLong(Math.max(0, length - 7), 0x5A5A5A5A5A5A5A5AL),
            () -> view.position(length).put((byte) 0x5A),
            () -> view.position(0).put(new byte[length + 1]));
        for (int i = 0; i < pastTheEnd.size(); i++) {
            try {
                pastTheEnd.get(i).run();
                fail(what + ": write " + i + " past the end of the " + length + "-byte view returned normally");
            } catch (IndexOutOfBoundsException | BufferOverflowException expected) {
                // the view stops at the block's end
            }
            view.clear();
        }
        Checks.assertSameBytes(before, Checks.snapshot(heap), what + ": after the writes past the end of the view");
        assertTrue(walk.sameEntries(Walk.of(allocator)), what + ": the entries after the writes past the end");
    }

    /**
     * Verifies rule A30 (feature {@link AllocatorFeature#OPERATION_COUNTS}): {@code counts()} of a new allocator
     * are zero, and after each operation of a script they are exactly what {@link io.github.emballoc.api.OperationCounts}
     * defines: a successful allocate (or {@code reallocate(NULL, n)}) counts one allocation, one that finds no
     * room (or throws {@link HeapExhaustedException}, or a reallocation that must move and cannot) one failed
     * allocation, a free one free, a reallocation of a live block (in place or moving) one reallocation and
     * nothing else; refused calls, {@code free(NULL)}, {@code coalesce()}, {@code usableSize}, {@code stats},
     * {@code walk} and {@code verify} count nothing. If this fails, check that a moving reallocation does not
     * count the allocation and free it is made of.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("A30: counts() agree with the operations made (OPERATION_COUNTS)")
    default void a30_countsAgreeWithTheOperations() throws Exception {
        Checks.assumeFeature(declared(), AllocatorFeature.OPERATION_COUNTS, "counts the operations it serves");
        Allocator allocator = fresh(1024);
        LiveBlocks model = new LiveBlocks(allocator);
        boolean image = declared().contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
        int capacity = allocator.heap().capacity();
        long[] expected = new long[4];
        countsAfter(allocator, expected, "building the allocator", 0, 0, 0, 0);
        LiveBlocks.Block x = model.allocate(0, 40, 1);
        LiveBlocks.Block y = model.allocate(1, 40, 1);
        LiveBlocks.Block z = model.allocate(2, 40, 1);
        assertTrue(x != null && y != null && z != null, "a heap of 1024 bytes holds three blocks of 40 bytes");
        countsAfter(allocator, expected, "three allocations", 3, 0, 0, 0);
        assertEquals(Allocator.NULL, allocator.allocate(capacity));
        countsAfter(allocator, expected, "allocate(" + capacity + ") returned NULL", 0, 1, 0, 0);
        try {
            allocator.allocateOrThrow(capacity);
            fail("allocateOrThrow(" + capacity + ") returned normally on a heap of " + capacity + " bytes");
        } catch (HeapExhaustedException expectedFailure) {
            countsAfter(allocator, expected, "allocateOrThrow(" + capacity + ") threw", 0, 1, 0, 0);
        }
        allocator.free(y.handle);
        model.remove(y);
        countsAfter(allocator, expected, "free(" + y.handle + ")", 0, 0, 1, 0);
        allocator.free(Allocator.NULL);
        countsAfter(allocator, expected, "free(NULL)", 0, 0, 0, 0);
        expectThrows(DoubleFreeException.class, () -> allocator.free(y.handle), "freeing " + y + " again");
        expectThrows(InvalidFreeException.class, () -> allocator.free(capacity + 8), "free(" + (capacity + 8) + ")");
        expectThrows(IllegalArgumentException.class, () -> allocator.allocate(-1), "allocate(-1)");
        countsAfter(allocator, expected, "refused calls", 0, 0, 0, 0);
        x = model.reallocate(x, 20, 1, image);
        countsAfter(allocator, expected, "reallocating " + x + " to 20 bytes", 0, 0, 0, 1);
        int alignment = Integer.lowestOneBit(x.handle) * 2;
        LiveBlocks.Block before = x;
        x = model.reallocate(x, 24, alignment, image);
        assertTrue(x != null && x.handle != before.handle, "reallocating " + before + " aligned to " + alignment
                + " moves it");
        countsAfter(allocator, expected, "a moving reallocation of " + before + " to " + x, 0, 0, 0, 1);
        assertEquals(null, model.reallocate(z, capacity, 1, image), "reallocating " + z + " to " + capacity + " bytes");
        countsAfter(allocator, expected, "a reallocation of " + z + " that returned NULL", 0, 1, 0, 0);
        int handle = allocator.reallocate(Allocator.NULL, 16);
        assertNotEquals(Allocator.NULL, handle, "reallocate(NULL, 16) on a heap of 1024 bytes");
        model.add(3, handle, 16, 1);
        countsAfter(allocator, expected, "reallocate(NULL, 16)", 1, 0, 0, 0);
        assertEquals(Allocator.NULL, allocator.reallocate(Allocator.NULL, capacity));
        countsAfter(allocator, expected, "reallocate(NULL, " + capacity + ") returned NULL", 0, 1, 0, 0);
        int freed = freeOffsets(Walk.of(allocator)).get(0).intValue();
        expectThrows(DoubleFreeException.class, () -> allocator.reallocate(freed, 8), "reallocate(" + freed
                + ", 8) inside a free entry");
        int live = x.handle;
        expectThrows(IllegalArgumentException.class, () -> allocator.reallocate(live, -1), "reallocate(h, -1)");
        allocator.coalesce();
        allocator.usableSize(live);
        allocator.stats();
        allocator.walk((offset, used, size) -> { });
        allocator.verify();
        countsAfter(allocator, expected, "refused reallocations, coalesce(), usableSize, stats, walk and verify",
                0, 0, 0, 0);
        model.checkAllPatterns("at the end");
        model.checkAgreement("at the end", image);
    }

    /** Adds one step of A30's script to the expected counts and checks {@code counts()} against them. */
    private static void countsAfter(Allocator allocator, long[] expected, String what, long allocations,
                                    long failedAllocations, long frees, long reallocations) {
        expected[0] += allocations;
        expected[1] += failedAllocations;
        expected[2] += frees;
        expected[3] += reallocations;
        assertEquals(new OperationCounts(expected[0], expected[1], expected[2], expected[3]), allocator.counts(),
                "counts() after " + what);
    }

    private static void expectThrows(Class<? extends RuntimeException> type, Runnable call, String what) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (type.isInstance(e)) {
                return;
            }
            throw new AssertionError(what + " threw " + e + ", expected " + type.getSimpleName(), e);
        }
        fail(what + " returned normally, expected " + type.getSimpleName());
    }

    /** Seven blocks of 12 to 60 bytes, the second and the fifth freed: free entries between used ones. */
    private static LiveBlocks withTwoFreeEntries(Allocator allocator) {
        LiveBlocks model = new LiveBlocks(allocator);
        for (int id = 0; id < 7; id++) {
            assertTrue(model.allocate(id, 12 + 8 * id, 1) != null, "a heap of 1024 bytes holds seven small blocks");
        }
        for (int id : new int[] {1, 4}) {
            allocator.free(model.get(id).handle);
            model.remove(model.get(id));
        }
        return model;
    }

    /** Offsets inside free entries' payloads: the first, the middle and the last byte of each. */
    private static List<Long> freeOffsets(Walk walk) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < walk.count(); i++) {
            if (!walk.used(i) && walk.size(i) > 0) {
                offsets.add(walk.payloadStart(i));
                offsets.add(walk.payloadStart(i) + walk.size(i) / 2);
                offsets.add(walk.payloadEnd(i) - 1);
            }
        }
        assertTrue(!offsets.isEmpty(), "the walk reported no free entry with a payload: " + walk);
        return offsets;
    }

    /** Offsets no entry's payload holds: outside the heap, every header byte, and {@code NULL} if asked. */
    private static List<Integer> invalidOffsets(Walk walk, int capacity, boolean withNull) {
        List<Integer> offsets = new ArrayList<>(List.of(-2, -4, Integer.MIN_VALUE, capacity, capacity + 1,
                Integer.MAX_VALUE));
        if (withNull) {
            offsets.add(Allocator.NULL);
        }
        for (int i = 0; i < walk.count(); i++) {
            for (int b = 0; b < Walk.HEADER; b++) {
                offsets.add(walk.offset(i) + b);
            }
        }
        return offsets;
    }

    /**
     * Runs a call that must be refused as free refuses {@code offset} (a {@link DoubleFreeException} when it
     * lies in a free entry, else an {@link InvalidFreeException}), naming the offset and changing no byte.
     */
    private static void refused(Allocator allocator, String operation, int offset, boolean insideFreeEntry,
                                Runnable call, Walk walk) {
        Class<? extends RuntimeException> type = insideFreeEntry ? DoubleFreeException.class
                : InvalidFreeException.class;
        String what = operation + "(" + offset + ")";
        byte[] before = Checks.snapshot(allocator.heap());
        try {
            call.run();
            fail(what + " returned normally; " + (insideFreeEntry ? "the offset lies in a free entry"
                    : "no entry's payload holds the offset") + " (walk: " + walk + "), expected "
                    + type.getSimpleName() + " as free throws");
        } catch (DoubleFreeException | InvalidFreeException e) {
            if (!type.isInstance(e)) {
                fail(what + " threw " + e + "; expected " + type.getSimpleName() + " as free throws (walk: " + walk
                        + ")", e);
            }
            int named = e instanceof DoubleFreeException ? ((DoubleFreeException) e).handle()
                    : ((InvalidFreeException) e).handle();
            assertEquals(offset, named, what + ": the exception names the offset");
        } catch (RuntimeException e) {
            fail(what + " threw " + e + "; expected " + type.getSimpleName() + " as free throws (walk: " + walk + ")",
                    e);
        }
        Checks.assertSameBytes(before, Checks.snapshot(allocator.heap()), "after the refused " + what);
    }
}
