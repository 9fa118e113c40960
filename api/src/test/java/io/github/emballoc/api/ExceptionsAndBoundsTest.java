package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The {@link HeapException} family's messages and accessors, and {@link HeapBounds}. */
class ExceptionsAndBoundsTest {

    @Test
    void doubleFreeNamesTheHandleAndTheFreeEntry() {
        DoubleFreeException e = new DoubleFreeException(16, 12, 20);
        assertEquals("double free: offset 16 lies in the free entry at offset 12 (20 bytes); the heap is unchanged",
                e.getMessage());
        assertEquals(16, e.handle());
        assertEquals(12, e.entryOffset());
        assertInstanceOf(HeapException.class, e);
    }

    @Test
    void invalidFreeNamesTheHandleAndTheCapacity() {
        InvalidFreeException e = new InvalidFreeException(-4, 64);
        assertEquals("invalid free: no block holds offset -4 (heap capacity 64); the heap is unchanged",
                e.getMessage());
        assertEquals(-4, e.handle());
        assertInstanceOf(HeapException.class, e);
    }

    @Test
    void heapExhaustedNamesTheRequestTheLargestFreeEntryAndTheFreeBytes() {
        HeapExhaustedException e = new HeapExhaustedException(100, 8, 40, 96);
        assertEquals("heap exhausted: no free entry fits 100 bytes aligned to 8; the largest free entry holds 40 bytes,"
                + " 96 bytes are free in all", e.getMessage());
        assertEquals(100, e.size());
        assertEquals(8, e.alignment());
        assertEquals(40, e.largestFree());
        assertEquals(96, e.freeBytes());
        assertInstanceOf(HeapException.class, e);
    }

    @Test
    void heapCorruptedNamesTheOffsetAndTheReason() {
        HeapCorruptedException e = new HeapCorruptedException(28, "size 4000 runs past the end of the heap");
        assertEquals("corrupt heap image: header at offset 28: size 4000 runs past the end of the heap",
                e.getMessage());
        assertEquals(28, e.offset());
        assertEquals("size 4000 runs past the end of the heap", e.reason());
        assertInstanceOf(HeapException.class, e);
    }

    @Test
    void heapExceptionsAreUncheckedAndKeepTheirCause() {
        IllegalStateException cause = new IllegalStateException("inner");
        HeapException e = new HeapException("outer", cause);
        assertEquals("outer", e.getMessage());
        assertSame(cause, e.getCause());
        assertInstanceOf(RuntimeException.class, new HeapException("plain"));
        assertEquals("plain", new HeapException("plain").getMessage());
    }

    @Test
    void boundsInsideTheRegionPass() {
        int[][] inside = {
            {0, 0, 0}, {0, 1, 1}, {7, 1, 8}, {4, 4, 8}, {0, 8, 8}, {8, 0, 8},
            {Integer.MAX_VALUE - 1, 1, Integer.MAX_VALUE}, {0, Integer.MAX_VALUE, Integer.MAX_VALUE},
            {Integer.MAX_VALUE, 0, Integer.MAX_VALUE},
        };
        for (int[] c : inside) {
            assertDoesNotThrow(() -> HeapBounds.check(c[0], c[1], c[2]), () -> Arrays.toString(c));
            assertDoesNotThrow(() -> HeapBounds.checkArray(c[0], c[1], c[2]), () -> Arrays.toString(c));
        }
    }

    @Test
    void boundsOutsideTheRegionFailNamingOffsetLengthAndCapacity() {
        int[][] outside = {
            {-1, 1, 8}, {-1, 0, 8}, {0, -1, 8}, {8, 1, 8}, {9, 0, 8}, {5, 4, 8}, {1, 8, 8}, {0, 9, 8},
            {0, 1, 0}, {Integer.MAX_VALUE, 1, 8}, {1, Integer.MAX_VALUE, 8},
            {Integer.MAX_VALUE, 1, Integer.MAX_VALUE}, {1, Integer.MAX_VALUE, Integer.MAX_VALUE},
            {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 1, 8},
            {Integer.MIN_VALUE, Integer.MIN_VALUE, 8}, {4, Integer.MIN_VALUE, Integer.MAX_VALUE},
        };
        for (int[] c : outside) {
            IndexOutOfBoundsException heap = assertThrows(IndexOutOfBoundsException.class,
                    () -> HeapBounds.check(c[0], c[1], c[2]));
            assertEquals("access of " + c[1] + " byte(s) at offset " + c[0] + " is out of bounds for a heap of capacity "
                    + c[2], heap.getMessage());
            IndexOutOfBoundsException array = assertThrows(IndexOutOfBoundsException.class,
                    () -> HeapBounds.checkArray(c[0], c[1], c[2]));
            assertEquals("array range [" + c[0] + ", " + c[0] + " + " + c[1]
                    + ") is out of bounds for an array of length " + c[2], array.getMessage());
        }
    }
}
