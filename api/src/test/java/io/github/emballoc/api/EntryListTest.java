package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link EntryList}: recording a walk, lookups by header and by payload offset, formats. */
class EntryListTest {

    /** An allocator whose walk reports fixed entries (nothing else is called). */
    private static Allocator walking(int[][] entries) {
        return new Allocator() {
            @Override
            public RawHeap heap() {
                throw new AssertionError();
            }

            @Override
            public int allocate(int size, int alignment) {
                throw new AssertionError();
            }

            @Override
            public void free(int handle) {
                throw new AssertionError();
            }

            @Override
            public HeapStats stats() {
                throw new AssertionError();
            }

            @Override
            public void walk(EntryVisitor visitor) {
                for (int[] e : entries) {
                    visitor.visit(e[0], e[1] != 0, e[2]);
                }
            }

            @Override
            public void verify() {
                throw new AssertionError();
            }

            @Override
            public int usableSize(int handle) {
                throw new AssertionError();
            }

            @Override
            public int reallocate(int handle, int newSize, int alignment) {
                throw new AssertionError();
            }

            @Override
            public int coalesce() {
                throw new AssertionError();
            }
        };
    }

    private static final int[][] WALKTHROUGH = {{0, 1, 8}, {12, 0, 4}, {20, 1, 8}};

    @Test
    void recordsAWalkInOrder() throws IOException {
        EntryList list = EntryList.of(walking(WALKTHROUGH));
        assertEquals(3, list.count());
        assertEquals(12, list.offset(1));
        assertFalse(list.used(1));
        assertEquals(8, list.size(2));
        assertEquals("0 used 8, 12 free 4, 20 used 8", list.toString());
        StringBuilder out = new StringBuilder();
        list.writeTo(out);
        assertEquals("e 0 used 8\ne 12 free 4\ne 20 used 8\n", out.toString());
        assertEquals(out.toString(), list.replayLines());
        assertThrows(IndexOutOfBoundsException.class, () -> list.offset(3));
        assertThrows(IndexOutOfBoundsException.class, () -> list.size(-1));
    }

    @Test
    void findsEntriesByHeaderAndByPayloadOffset() {
        EntryList list = EntryList.of(walking(WALKTHROUGH));
        assertEquals(1, list.indexAt(12));
        assertEquals(-1, list.indexAt(16));
        int[] expected = new int[32];
        for (int p = 0; p < 32; p++) {
            expected[p] = -1;
        }
        for (int p = 4; p < 12; p++) {
            expected[p] = 0;
        }
        for (int p = 16; p < 20; p++) {
            expected[p] = 1;
        }
        for (int p = 24; p < 32; p++) {
            expected[p] = 2;
        }
        for (int p = -4; p < 36; p++) {
            assertEquals(p >= 0 && p < 32 ? expected[p] : -1, list.indexHolding(p), "offset " + p);
        }
    }

    @Test
    void comparesWalks() {
        EntryList a = EntryList.of(walking(WALKTHROUGH));
        assertTrue(a.sameEntries(EntryList.of(walking(WALKTHROUGH))));
        assertFalse(a.sameEntries(EntryList.of(walking(new int[][] {{0, 1, 8}, {12, 1, 4}, {20, 1, 8}}))));
        assertFalse(a.sameEntries(EntryList.of(walking(new int[][] {{0, 1, 8}}))));
        assertEquals("", EntryList.of(walking(new int[0][])).toString());
    }
}
