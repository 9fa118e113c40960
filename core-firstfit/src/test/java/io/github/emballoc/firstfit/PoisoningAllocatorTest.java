package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.debug.PoisonViolation;
import io.github.emballoc.api.debug.PoisonViolationException;
import io.github.emballoc.api.debug.PoisoningAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PoisoningAllocator}: a deliberate write after free and a deliberate overrun are reported with the
 * offset of the first changed byte and the block it belonged to, when the space is handed out again, when
 * the block is freed, and by {@code verify()}; random workloads that write only their own bytes report
 * nothing, over both fits and coalescings, and leave the same entries and handles as the bare allocator; a
 * random stray write into freed space is always found at its offset.
 */
class PoisoningAllocatorTest {

    private static FirstFitAllocator allocator(RawHeap heap, Fit fit, Coalescing coalescing) {
        return FirstFitAllocator.builder(heap).fit(fit).coalescing(coalescing).criticalSection(new PlainSection())
                .build();
    }

    private static PoisoningAllocator poisoned(int capacity) {
        return PoisoningAllocator.poison(allocator(RawHeaps.allocate(capacity), Fit.FIRST, Coalescing.FORWARD));
    }

    @Test
    void aWriteAfterFreeIsReportedWhenTheSpaceIsHandedOutAgain() {
        PoisoningAllocator allocator = poisoned(1024);
        RawHeap heap = allocator.heap();
        int block = allocator.allocate(24);
        allocator.allocate(8); // keeps the freed block's space apart from the rest
        allocator.free(block);
        heap.putByte(block + 9, (byte) 0x41); // the bug

        PoisonViolationException e = assertThrows(PoisonViolationException.class, () -> allocator.allocate(16));

        PoisonViolation violation = e.violation();
        assertEquals(PoisonViolation.Kind.WRITE_AFTER_FREE, violation.kind());
        assertEquals(block + 9, violation.offset());
        assertEquals(block, violation.blockHandle());
        assertEquals(24, violation.blockSize());
        assertEquals((byte) 0x41, violation.found());
        assertEquals(PoisoningAllocator.FREE_PATTERN, violation.expected());
        assertEquals("allocate(16, 1)", violation.foundBy());
        assertEquals("write after free at offset 13 (byte 0x41, expected 0xdd): 9 bytes into the block at 4 (24"
                + " bytes), freed earlier; found by allocate(16, 1); the call's result, handle 4, is allocated",
                e.getMessage());
        assertEquals(block, e.handle());
        assertEquals(16, allocator.usableSize(e.handle())); // allocated, as the exception says
        assertEquals(List.of(violation), allocator.violations());
    }

    @Test
    void aWriteAfterFreeIsReportedByVerifyAndListedByCheck() {
        PoisoningAllocator allocator = poisoned(1024);
        int first = allocator.allocate(40);
        int second = allocator.allocate(40);
        allocator.allocate(4);
        allocator.free(first);
        allocator.free(second);
        allocator.heap().putInt(second + 20, 0);
        allocator.heap().putByte(first + 39, (byte) 0xDC);

        List<PoisonViolation> found = allocator.check();
        assertEquals(2, found.size(), found::toString);
        assertEquals(first + 39, found.get(0).offset());
        assertEquals(first, found.get(0).blockHandle());
        assertEquals(second + 20, found.get(1).offset());
        assertEquals(second, found.get(1).blockHandle());
        assertEquals(List.of(), allocator.violations(), "check() only looks");

        PoisonViolationException e = assertThrows(PoisonViolationException.class, allocator::verify);
        assertEquals(first + 39, e.violation().offset());
        assertEquals("verify()", e.violation().foundBy());
        assertEquals(Allocator.NULL, e.handle());
    }

    @Test
    void anOverrunIsReportedWhenTheBlockIsFreedAndTheBlockIsFreedAnyway() {
        PoisoningAllocator allocator = poisoned(1024);
        int block = allocator.allocate(10);                 // entry payload 12: guard bytes 10 and 11
        assertEquals(10, allocator.usableSize(block));
        ByteBuffer view = allocator.view(block);
        assertEquals(10, view.capacity());
        allocator.heap().putByte(block + 10, (byte) 0); // one byte past the end

        PoisonViolationException e = assertThrows(PoisonViolationException.class, () -> allocator.free(block));

        PoisonViolation violation = e.violation();
        assertEquals(PoisonViolation.Kind.OVERRUN, violation.kind());
        assertEquals(block + 10, violation.offset());
        assertEquals(block, violation.blockHandle());
        assertEquals(10, violation.blockSize());
        assertEquals("overrun at offset 14 (byte 0x00, expected 0xfd): 0 bytes past the end of the block at 4 (10"
                + " bytes requested); found by free(4)", e.getMessage());
        assertThrows(DoubleFreeException.class, () -> allocator.free(block), "the free was carried out");
    }

    @Test
    void anOverrunIsReportedByVerifyAndByAReallocation() {
        PoisoningAllocator allocator = poisoned(1024);
        int empty = allocator.allocate(0);               // 4 bytes: byte 0 is usable, bytes 1 to 3 are guards
        int block = allocator.allocate(21, 8);           // entry of 32: guards from 21 to the end of the entry
        allocator.heap().putByte(empty + 3, (byte) 7);
        PoisonViolationException e = assertThrows(PoisonViolationException.class, allocator::verify);
        assertEquals(empty + 3, e.violation().offset());
        assertEquals(0, e.violation().blockSize());

        allocator.heap().putByte(block + 21, (byte) 'x');
        PoisonViolationException again = assertThrows(PoisonViolationException.class,
                () -> allocator.reallocate(block, 200));
        assertEquals(PoisonViolation.Kind.OVERRUN, again.violation().kind());
        assertEquals(block + 21, again.violation().offset());
        assertTrue(again.handle() != Allocator.NULL, "the reallocation was carried out");
        List<Integer> stillChanged = new ArrayList<>();
        allocator.check().forEach(violation -> stillChanged.add(violation.offset()));
        assertEquals(List.of(empty + 3), stillChanged, "the reallocated block's guards are written anew");
    }

    @Test
    void withoutFailFastAViolationIsKeptAndTheCallReturnsNormally() {
        PoisoningAllocator allocator = PoisoningAllocator.builder(
                allocator(RawHeaps.allocate(512), Fit.BEST, Coalescing.BOTH)).failFast(false).build();
        int block = allocator.allocate(32);
        allocator.allocate(4);
        allocator.free(block);
        allocator.heap().putByte(block, (byte) 1);
        int again = allocator.allocate(32);
        assertEquals(block, again);
        assertEquals(1, allocator.violations().size());
        assertEquals(block, allocator.violations().get(0).offset());
    }

    @Test
    void writesIntoNeverAllocatedFreeSpaceAreFoundToo() {
        PoisoningAllocator allocator = poisoned(256);
        allocator.heap().putByte(200, (byte) 3);
        PoisonViolation violation = allocator.check().get(0);
        assertEquals(200, violation.offset());
        assertEquals(Allocator.NULL, violation.blockHandle());
        assertTrue(violation.describe().contains("in free space no block has held since poisoning began"),
                violation.describe());
    }

    static List<Arguments> configurations() {
        List<Arguments> configurations = new ArrayList<>();
        long seed = 0x9015_0000L;
        for (Fit fit : Fit.values()) {
            for (Coalescing coalescing : Coalescing.values()) {
                for (boolean guards : new boolean[] {true, false}) {
                    configurations.add(Arguments.of(fit, coalescing, guards, seed++));
                }
            }
        }
        return configurations;
    }

    /**
     * A random workload that writes every byte it owns (and no other): allocations of any alignment, frees by
     * handle, by an offset inside the block or in its padding, reallocations, coalesce; verify() every few
     * steps. Nothing may be reported, and a bare allocator given the same calls returns the same handles and
     * ends with the same entries.
     */
    @ParameterizedTest(name = "{0} {1} guards {2} seed {3}")
    @MethodSource("configurations")
    void aRandomWorkloadThatStaysInItsBlocksReportsNothing(Fit fit, Coalescing coalescing, boolean guards,
                                                          long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int capacity = 16384;
        FirstFitAllocator bare = allocator(RawHeaps.allocate(capacity), fit, coalescing);
        PoisoningAllocator allocator = PoisoningAllocator.builder(
                allocator(RawHeaps.allocate(capacity), fit, coalescing)).guards(guards).build();
        RawHeap heap = allocator.heap();
        TreeMap<Integer, Integer> live = new TreeMap<>(); // handle -> requested size
        Map<Integer, Byte> fill = new HashMap<>();
        for (int step = 0; step < 6000; step++) {
            String at = "seed " + seed + " step " + step;
            int choice = random.nextInt(20);
            try {
                if (live.isEmpty() || choice < 8) {
                    int size = random.nextInt(0, 400);
                    int alignment = random.nextInt(3) == 0 ? 1 << random.nextInt(8) : 1;
                    int handle = allocator.allocate(size, alignment);
                    assertEquals(bare.allocate(size, alignment), handle, at);
                    if (handle != Allocator.NULL) {
                        live.put(handle, size);
                        byte value = (byte) random.nextInt();
                        heap.fill(handle, size, value);
                        fill.put(handle, value);
                    }
                } else if (choice < 15) {
                    int handle = pick(random, live);
                    checkContents(heap, handle, live.get(handle), fill.get(handle), at);
                    int offset = switch (random.nextInt(3)) {
                        case 0 -> handle;
                        case 1 -> handle + random.nextInt(Math.max(1, live.get(handle)));
                        default -> LeakTrackerTest.entryPayloadHolding(bare, handle);
                    };
                    allocator.free(offset);
                    bare.free(offset);
                    live.remove(handle);
                } else if (choice < 19) {
                    int handle = pick(random, live);
                    checkContents(heap, handle, live.get(handle), fill.get(handle), at);
                    int size = random.nextInt(1, 500); // not 0: see LeakTrackerTest
                    int alignment = random.nextBoolean() ? 1 : 1 << random.nextInt(7);
                    int moved = allocator.reallocate(handle, size, alignment);
                    assertEquals(bare.reallocate(handle, size, alignment), moved, at);
                    if (moved != Allocator.NULL) {
                        int kept = Math.min(size, live.remove(handle));
                        checkContents(heap, moved, kept, fill.remove(handle), at);
                        live.put(moved, size);
                        byte value = (byte) random.nextInt();
                        heap.fill(moved, size, value);
                        fill.put(moved, value);
                    }
                } else {
                    assertEquals(bare.coalesce(), allocator.coalesce(), at);
                }
                if (step % 25 == 0) {
                    allocator.verify();
                }
            } catch (PoisonViolationException e) {
                fail(at + ": false report: " + e.getMessage(), e);
            }
        }
        allocator.verify();
        assertEquals(List.of(), allocator.violations());
        assertEquals(EntryList.of(bare).replayLines(), EntryList.of(allocator).replayLines());
    }

    /**
     * A random workload as above, then one stray byte written at a random offset of a random freed block's
     * bytes that are still free: {@code check()} finds exactly that offset, and the freed block.
     */
    @ParameterizedTest(name = "{0} {1} guards {2} seed {3}")
    @MethodSource("configurations")
    void aStrayWriteIntoFreedSpaceIsFoundAtItsOffset(Fit fit, Coalescing coalescing, boolean guards, long seed) {
        SplittableRandom random = new SplittableRandom(~seed);
        FirstFitAllocator plain = allocator(RawHeaps.allocate(8192), fit, coalescing);
        PoisoningAllocator allocator = PoisoningAllocator.builder(plain).guards(guards).build();
        for (int round = 0; round < 40; round++) {
            TreeMap<Integer, Integer> live = new TreeMap<>();
            List<int[]> freed = new ArrayList<>(); // {handle, end}
            for (int step = 0; step < 60; step++) {
                if (live.isEmpty() || random.nextInt(3) > 0) {
                    int handle = allocator.allocate(random.nextInt(1, 200), 1 << random.nextInt(5));
                    if (handle != Allocator.NULL) {
                        live.put(handle, plain.usableSize(handle) + handle);
                    }
                } else {
                    int handle = pick(random, live);
                    freed.add(new int[] {handle, live.remove(handle)});
                    allocator.free(handle);
                }
            }
            assertEquals(List.of(), allocator.check(), "seed " + seed + " round " + round);
            List<Integer> candidates = new ArrayList<>();
            for (int[] block : freed) {
                for (int offset = block[0]; offset < block[1]; offset++) {
                    if (isFree(plain, offset) && allocator.heap().getByte(offset) == PoisoningAllocator.FREE_PATTERN) {
                        candidates.add(offset);
                        break;
                    }
                }
            }
            if (!candidates.isEmpty()) {
                int target = candidates.get(random.nextInt(candidates.size()));
                allocator.heap().putByte(target, (byte) 0x5A);
                List<PoisonViolation> found = allocator.check();
                String at = "seed " + seed + " round " + round + " target " + target;
                assertEquals(1, found.size(), at + ": " + found);
                assertEquals(target, found.get(0).offset(), at);
                assertEquals(PoisonViolation.Kind.WRITE_AFTER_FREE, found.get(0).kind(), at);
                allocator.heap().putByte(target, PoisoningAllocator.FREE_PATTERN); // put it back
            }
            for (int handle : live.keySet()) {
                allocator.free(handle);
            }
            assertEquals(List.of(), allocator.check());
        }
    }

    private static int pick(SplittableRandom random, TreeMap<Integer, Integer> live) {
        List<Integer> handles = new ArrayList<>(live.keySet());
        return handles.get(random.nextInt(handles.size()));
    }

    private static void checkContents(RawHeap heap, int handle, int size, byte value, String at) {
        for (int i = 0; i < size; i++) {
            if (heap.getByte(handle + i) != value) {
                fail(at + ": byte " + i + " of the block at " + handle + " changed");
            }
        }
    }

    private static boolean isFree(Allocator allocator, int offset) {
        boolean[] free = {false};
        allocator.walk((header, used, size) -> {
            if (!used && offset >= header + 4 && offset < header + 4 + size) {
                free[0] = true;
            }
        });
        return free[0];
    }
}
