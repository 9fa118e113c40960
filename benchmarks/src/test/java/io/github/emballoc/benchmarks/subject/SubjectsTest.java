package io.github.emballoc.benchmarks.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectsTest {

    private static final int REGION = 64 << 10;

    static Stream<String> allocators() {
        List<String> all = new ArrayList<>(Subjects.EMBALLOC);
        all.addAll(Subjects.PEERS);
        return all.stream();
    }

    /** Every allocator holds the region: it fails before it has served more than the region's bytes. */
    @ParameterizedTest
    @MethodSource("allocators")
    void everyAllocatorFailsOnceItsRegionIsFull(String allocator) {
        int slots = REGION / 64;
        try (Subject subject = Subjects.create(allocator, "array", REGION, slots, Sharing.CONFINED)) {
            assertEquals(REGION, subject.regionBytes(), "region of " + allocator);
            int served = 0;
            while (served < slots && subject.allocate(served, 200)) {
                served++;
            }
            assertTrue(served < slots, allocator + " served " + slots + " blocks of 200 bytes in " + REGION);
            assertTrue(served * 200L <= REGION, allocator + " served " + served + " blocks of 200 bytes");
            assertTrue(served * 200L > REGION / 2, allocator + " served only " + served + " blocks of 200 bytes");
            // freeing one block makes room for it again
            subject.free(0);
            assertTrue(subject.allocate(0, 200), allocator + " could not reuse a freed block");
            for (int i = 0; i < served; i++) {
                subject.free(i);
            }
            // everything freed: the whole region is usable again
            int again = 0;
            while (again < slots && subject.allocate(again, 200)) {
                again++;
            }
            assertEquals(served, again, allocator + " after freeing every block");
        }
    }

    /** Freeing an empty slot does nothing, whatever the allocator. */
    @ParameterizedTest
    @MethodSource("allocators")
    void freeingAnEmptySlotDoesNothing(String allocator) {
        try (Subject subject = Subjects.create(allocator, "array", REGION, 4, Sharing.CONFINED)) {
            subject.free(1);
            assertTrue(subject.allocate(1, 10));
            subject.free(1);
            subject.free(1);
            assertTrue(subject.allocate(1, 10));
        }
    }

    @Test
    void sharedOffHeapStoreIsSynchronized() {
        try (Subject subject = Subjects.create("offheapstore", "array", REGION, 4, Sharing.SHARED)) {
            assertInstanceOf(SynchronizedSubject.class, subject);
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException allocator = assertThrows(IllegalArgumentException.class,
                () -> Subjects.create("tlsf", "array", REGION, 4, Sharing.CONFINED));
        assertEquals("unknown allocator 'tlsf'; known: [indexed-best, indexed-first, firstfit-best, firstfit-first] and [onenio, onenio-mt,"
                + " offheapstore, netty]", allocator.getMessage());
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                () -> Subjects.create("firstfit-best", "segmentz", REGION, 4, Sharing.CONFINED));
        assertEquals("unknown heap kind 'segmentz'; known: [array, direct, mapped]", heap.getMessage());
    }

    @Test
    void regionsThatAPeerCannotTakeAreRefused() {
        IllegalArgumentException netty = assertThrows(IllegalArgumentException.class,
                () -> new NettySubject(3 << 20, 1));
        assertEquals("a Netty chunk here is a power of two from 32768 bytes to 1 GiB; region 3145728 is not",
                netty.getMessage());
        IllegalArgumentException offheap = assertThrows(IllegalArgumentException.class,
                () -> new OffHeapStoreSubject(3 << 20, 1));
        assertEquals("offheap-store pages are powers of two; region 3145728 is not", offheap.getMessage());
    }

    /** Netty's requests above the chunk become huge allocations in chunks of their own: failures here. */
    @Test
    void nettyRequestsLargerThanTheRegionFail() {
        try (Subject subject = Subjects.create("netty", "array", REGION, 2, Sharing.CONFINED)) {
            assertFalse(subject.allocate(0, REGION + 1));
            assertTrue(subject.allocate(0, REGION / 2));
        }
    }

    @Test
    void eachHeapKindGivesAZeroedHeapAndTheMappedFileIsDeleted() throws Exception {
        for (String kind : Heaps.KINDS) {
            Heaps.Opened opened = Heaps.open(kind, 4096);
            assertEquals(4096, opened.heap().capacity(), kind);
            for (int i = 0; i < 4096; i += 8) {
                assertEquals(0L, opened.heap().getLong(i), kind + " at " + i);
            }
            opened.close();
            if (opened.file() != null) {
                assertFalse(java.nio.file.Files.exists(opened.file()), kind + "'s file after close");
            }
        }
    }
}
