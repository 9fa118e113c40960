package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.RawHeap;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance contract of a {@link RawHeap}: the promises of its documentation, checked as rules
 * {@code H1} to {@code H11}.
 *
 * <p>Implement {@link #newHeap(int)} in a test class and the rules run with the rest of your tests:
 * <pre>{@code
 * class IntArrayHeapTest implements RawHeapContract {
 *     @Override
 *     public RawHeap newHeap(int capacity) {
 *         return new IntArrayHeap(capacity, ByteOrder.BIG_ENDIAN);
 *     }
 * }
 * }</pre>
 *
 * <p>The contract asks for the capacities the heap format allows: multiples of 4, from 8 to 4096 bytes.
 * The rules about the end of the heap (H8 to H10) run at capacities of every residue modulo 8 and modulo 16
 * that the format allows (60, 64, 68 and 72) and at the two smallest (8 and 12); H1 to H7 run at a multiple
 * of 8 and at the capacity 4 bytes less. So a heap that keeps its bytes in wider words (a {@code long[]},
 * say) is also checked where its last word is only partly used. Run the contract once per byte order your
 * heap supports; every rule reads the order from {@link RawHeap#order()}.
 */
public interface RawHeapContract extends JUnitPlatformGuard {

    /**
     * Makes a new heap of exactly {@code capacity} bytes, every byte zero, independent of every heap made
     * before (a mapped heap maps a new file, for example in a JUnit {@code @TempDir}).
     *
     * @param capacity the size in bytes, a multiple of 4 from 8 to 4096
     * @return the heap
     * @throws Exception if the heap cannot be made (the test fails with it)
     */
    RawHeap newHeap(int capacity) throws Exception;

    /**
     * Verifies rule H1: the heap has exactly the capacity asked for, its capacity and byte order never
     * change, and the order is never {@code null}. If this fails, check the constructor and
     * {@code capacity()}/{@code order()}: they must return fields set once, not values computed from state
     * that writes change.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H1: capacity is exactly the one asked for; capacity and order never change")
    default void h1_capacityAndOrderAreFixed() throws Exception {
        for (int capacity : new int[] {8, 12, 64, 4092, 4096}) {
            RawHeap heap = newHeap(capacity);
            assertEquals(capacity, heap.capacity(), "capacity() of a heap made with newHeap(" + capacity + ")");
            ByteOrder order = heap.order();
            assertNotNull(order, "order()");
            heap.putLong(0, -1L);
            heap.fill(0, capacity, (byte) 0x7E);
            assertEquals(capacity, heap.capacity(), "capacity() after writes");
            assertSame(order, heap.order(), "order() after writes");
        }
    }

    /**
     * Verifies rule H2: a new heap reads zero at every offset, through every read method. Allocators rely
     * on it: a heap whose first word is zero is initialised, any other is taken as an existing image. If this
     * fails, check that {@code newHeap} clears reused memory (a pooled buffer, an existing file).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H2: a new heap is zero everywhere")
    default void h2_newHeapIsZero() throws Exception {
        for (int capacity : aroundAWord(256)) {
            RawHeap heap = newHeap(capacity);
            String of = " of a new heap of " + capacity;
            assertArrayEquals(new byte[capacity], Checks.snapshotBytewise(heap), "getByte over every byte" + of);
            assertArrayEquals(new byte[capacity], Checks.snapshot(heap), "getBytes over every byte" + of);
            for (int offset = 0; offset <= capacity - 4; offset++) {
                assertEquals(0, heap.getInt(offset), "getInt(" + offset + ")" + of);
                if (offset <= capacity - 8) {
                    assertEquals(0L, heap.getLong(offset), "getLong(" + offset + ")" + of);
                }
            }
        }
    }

    /**
     * Verifies rule H3: a byte written at any offset is read back unchanged, and writing it changes no other
     * byte. If this fails, check the offset arithmetic of {@code putByte}/{@code getByte} (a base offset
     * added twice or not at all, an index shifted by one).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H3: every byte written is read back, and no other byte changes")
    default void h3_byteRoundTrip() throws Exception {
        for (int capacity : aroundAWord(512)) {
            byteRoundTrip(newHeap(capacity));
        }
    }

    private static void byteRoundTrip(RawHeap heap) {
        int capacity = heap.capacity();
        byte[] expected = new byte[capacity];
        for (int offset = 0; offset < capacity; offset++) {          // upwards: a write spilling downwards shows
            byte value = (byte) (offset * 37 + 11);
            heap.putByte(offset, value);
            expected[offset] = value;
        }
        assertArrayEquals(expected, Checks.snapshotBytewise(heap), "bytes after writing upwards, capacity " + capacity);
        for (int offset = capacity - 1; offset >= 0; offset--) {     // downwards: a write spilling upwards shows
            byte value = (byte) (offset * 91 + 5);
            heap.putByte(offset, value);
            expected[offset] = value;
        }
        assertArrayEquals(expected, Checks.snapshotBytewise(heap), "bytes after writing downwards, capacity " + capacity);
        for (int offset = 0; offset < capacity; offset++) {
            assertEquals(expected[offset], heap.getByte(offset), "getByte(" + offset + "), capacity " + capacity);
        }
    }

    /**
     * Verifies rule H4: {@code putInt} writes its four bytes in {@link RawHeap#order()} (little-endian: the
     * lowest byte first), at any offset, aligned or not, touching no other byte; {@code getInt} composes four
     * bytes in the same order. If this fails, check that both use the order the heap reports: a heap that
     * claims big-endian but writes native or little-endian bytes makes images that other tools misread.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H4: ints are written and read in order(), at any offset, touching only their 4 bytes")
    default void h4_intsFollowTheByteOrder() throws Exception {
        for (int capacity : aroundAWord(64)) {
            intsFollowTheByteOrder(newHeap(capacity));
        }
    }

    private static void intsFollowTheByteOrder(RawHeap heap) {
        boolean little = heap.order() == ByteOrder.LITTLE_ENDIAN;
        byte[] background = background(heap.capacity());
        heap.putBytes(0, background, 0, background.length);
        for (int offset = 0; offset <= heap.capacity() - 4; offset++) {
            int value = 0x01020304 + offset * 0x10101010;
            heap.putInt(offset, value);
            byte[] expected = background.clone();
            for (int i = 0; i < 4; i++) {
                int shift = little ? 8 * i : 8 * (3 - i);
                expected[offset + i] = (byte) (value >>> shift);
            }
            assertArrayEquals(expected, Checks.snapshotBytewise(heap),
                    "bytes after putInt(" + offset + ", 0x" + Integer.toHexString(value) + ") in " + heap.order()
                            + ", capacity " + heap.capacity());
            assertEquals(value, heap.getInt(offset), "getInt(" + offset + ") after putInt");
            heap.putBytes(0, background, 0, background.length);
            int composed = 0;
            for (int i = 0; i < 4; i++) {
                int shift = little ? 8 * i : 8 * (3 - i);
                composed |= (background[offset + i] & 0xFF) << shift;
            }
            assertEquals(composed, heap.getInt(offset), "getInt(" + offset + ") of bytes written one by one, in "
                    + heap.order() + ", capacity " + heap.capacity());
        }
    }

    /**
     * Verifies rule H5: {@code putLong} writes its eight bytes in {@link RawHeap#order()}, at any offset,
     * touching no other byte; {@code getLong} composes eight bytes in the same order. If this fails, check the
     * byte order and offset arithmetic of the 64-bit accessors (often written separately from the 32-bit
     * ones).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H5: longs are written and read in order(), at any offset, touching only their 8 bytes")
    default void h5_longsFollowTheByteOrder() throws Exception {
        for (int capacity : aroundAWord(64)) {
            longsFollowTheByteOrder(newHeap(capacity));
        }
    }

    private static void longsFollowTheByteOrder(RawHeap heap) {
        boolean little = heap.order() == ByteOrder.LITTLE_ENDIAN;
        byte[] background = background(heap.capacity());
        heap.putBytes(0, background, 0, background.length);
        for (int offset = 0; offset <= heap.capacity() - 8; offset++) {
            long value = 0x0102030405060708L + offset * 0x1010101010101010L;
            heap.putLong(offset, value);
            byte[] expected = background.clone();
            for (int i = 0; i < 8; i++) {
                int shift = little ? 8 * i : 8 * (7 - i);
                expected[offset + i] = (byte) (value >>> shift);
            }
            assertArrayEquals(expected, Checks.snapshotBytewise(heap),
                    "bytes after putLong(" + offset + ", 0x" + Long.toHexString(value) + ") in " + heap.order()
                            + ", capacity " + heap.capacity());
            assertEquals(value, heap.getLong(offset), "getLong(" + offset + ") after putLong");
            heap.putBytes(0, background, 0, background.length);
            long composed = 0;
            for (int i = 0; i < 8; i++) {
                int shift = little ? 8 * i : 8 * (7 - i);
                composed |= (background[offset + i] & 0xFFL) << shift;
            }
            assertEquals(composed, heap.getLong(offset), "getLong(" + offset + ") of bytes written one by one, in "
                    + heap.order() + ", capacity " + heap.capacity());
        }
    }

    /**
     * Verifies rule H6: {@code putBytes} copies exactly {@code src[srcOffset, srcOffset + length)} to
     * {@code [offset, offset + length)} and {@code getBytes} copies exactly the other way, touching nothing
     * else in the heap or the array; a length of 0 copies nothing. If this fails, check which of the four
     * offsets and the length each copy uses.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H6: bulk copies move exactly the bytes asked for, both ways")
    default void h6_bulkCopies() throws Exception {
        for (int capacity : aroundAWord(128)) {
            bulkCopies(newHeap(capacity));
        }
    }

    private static void bulkCopies(RawHeap heap) {
        int capacity = heap.capacity();
        SplittableRandom random = new SplittableRandom(0x4836L);
        byte[] expected = new byte[capacity];
        for (int round = 0; round < 200; round++) {
            int length = random.nextInt(capacity + 1);
            int offset = random.nextInt(capacity - length + 1);
            byte[] src = new byte[length + random.nextInt(9)];
            random.nextBytes(src);
            int srcOffset = random.nextInt(src.length - length + 1);
            heap.putBytes(offset, src, srcOffset, length);
            System.arraycopy(src, srcOffset, expected, offset, length);
            assertArrayEquals(expected, Checks.snapshotBytewise(heap),
                    "heap of " + capacity + " after putBytes(" + offset + ", src, " + srcOffset + ", " + length + ")");

            int readLength = random.nextInt(capacity + 1);
            int readOffset = random.nextInt(capacity - readLength + 1);
            byte[] dst = new byte[readLength + random.nextInt(9)];
            Arrays.fill(dst, (byte) 0x5A);
            int dstOffset = random.nextInt(dst.length - readLength + 1);
            byte[] dstExpected = dst.clone();
            System.arraycopy(expected, readOffset, dstExpected, dstOffset, readLength);
            heap.getBytes(readOffset, dst, dstOffset, readLength);
            assertArrayEquals(dstExpected, dst,
                    "array after getBytes(" + readOffset + ", dst, " + dstOffset + ", " + readLength + ") on a heap of "
                            + capacity);
        }
    }

    /**
     * Verifies rule H7: {@code fill(offset, length, value)} sets exactly {@code [offset, offset + length)}
     * to {@code value}; a length of 0 sets nothing; the whole heap can be filled. If this fails, check the
     * end of the range (an exclusive end treated as inclusive, or a word-at-a-time loop that overruns).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H7: fill sets exactly the range asked for")
    default void h7_fillSetsExactlyTheRange() throws Exception {
        for (int capacity : aroundAWord(128)) {
            fillSetsExactlyTheRange(newHeap(capacity));
        }
    }

    private static void fillSetsExactlyTheRange(RawHeap heap) {
        int capacity = heap.capacity();
        byte[] expected = new byte[capacity];
        SplittableRandom random = new SplittableRandom(0x4837L);
        for (int round = 0; round < 300; round++) {
            int length = round == 0 ? capacity : random.nextInt(Math.min(capacity, 40) + 1);
            int offset = random.nextInt(capacity - length + 1);
            byte value = (byte) random.nextInt(256);
            heap.fill(offset, length, value);
            Arrays.fill(expected, offset, offset + length, value);
            assertArrayEquals(expected, Checks.snapshotBytewise(heap),
                    "heap of " + capacity + " after fill(" + offset + ", " + length + ", " + Checks.hex(value) + ")");
        }
    }

    /**
     * Verifies rule H8: every single-value access ({@code get/put} of a byte, int or long) that touches a
     * byte outside {@code [0, capacity)} throws {@link IndexOutOfBoundsException} and writes nothing, not
     * even the bytes that were inside. If this fails, check that the whole range is checked before the first
     * byte is written, and against the heap's capacity (not the size of a larger backing array or buffer).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H8: single-value accesses outside the heap throw and write nothing")
    default void h8_singleValueBounds() throws Exception {
        for (int capacity : edgeCapacities()) {
            singleValueBounds(newHeap(capacity));
        }
    }

    private static void singleValueBounds(RawHeap heap) {
        int capacity = heap.capacity();
        byte[] background = background(capacity);
        heap.putBytes(0, background, 0, capacity);
        for (int width : new int[] {1, 4, 8}) {
            for (int offset : outsideOffsets(capacity, width)) {
                String access = "(" + offset + ") of " + width + " byte(s) on a heap of " + capacity;
                assertThrowsOutOfBounds(() -> get(heap, width, offset), "get" + access);
                assertThrowsOutOfBounds(() -> put(heap, width, offset), "put" + access);
                Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after put" + access);
            }
        }
        for (int width : new int[] {1, 4, 8}) {              // the last value that fits still works
            put(heap, width, capacity - width);
            get(heap, width, capacity - width);
            put(heap, width, 0);
        }
    }

    /**
     * Verifies rule H9: a bulk access ({@code getBytes}, {@code putBytes}, {@code fill}) whose heap range
     * or array range is not wholly inside throws {@link IndexOutOfBoundsException} (a negative length, or an
     * offset plus length past {@code Integer.MAX_VALUE}, included) and copies nothing; a {@code null} array is
     * a {@link NullPointerException}. If this fails, check for clipping (copying what fits), for
     * {@code offset + length} overflowing before the comparison, and for checks done after a partial copy.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H9: bulk accesses outside the heap or the array throw and copy nothing")
    default void h9_bulkBounds() throws Exception {
        for (int capacity : edgeCapacities()) {
            bulkBounds(newHeap(capacity));
        }
    }

    private static void bulkBounds(RawHeap heap) {
        int capacity = heap.capacity();
        byte[] background = background(capacity);
        heap.putBytes(0, background, 0, capacity);
        int[][] heapRanges = {
            {-1, 1}, {-4, 4}, {capacity - 3, 4}, {capacity, 1}, {capacity + 1, 2}, {0, capacity + 1}, {0, -1},
            {8, -8}, {1, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 2}, {Integer.MIN_VALUE, 4}, {capacity - 1, Integer.MIN_VALUE},
        };
        for (int[] range : heapRanges) {
            int offset = range[0];
            int length = range[1];
            byte[] array = new byte[capacity + 8];
            Arrays.fill(array, (byte) 0x11);
            byte[] arrayBefore = array.clone();
            String what = "(" + offset + ", length " + length + ") on a heap of " + capacity;
            assertThrowsOutOfBounds(() -> heap.getBytes(offset, array, 0, length), "getBytes" + what);
            assertArrayEquals(arrayBefore, array, "the array after a refused getBytes" + what);
            assertThrowsOutOfBounds(() -> heap.putBytes(offset, array, 0, length), "putBytes" + what);
            Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after a refused putBytes" + what);
            assertThrowsOutOfBounds(() -> heap.fill(offset, length, (byte) 0x22), "fill" + what);
            Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after a refused fill" + what);
        }
        int[][] arrayRanges = {{-1, 4}, {5, 4}, {0, 9}, {Integer.MAX_VALUE, 2}, {Integer.MIN_VALUE, 4}};
        for (int[] range : arrayRanges) {
            int index = range[0];
            int length = range[1];
            byte[] array = new byte[8];
            Arrays.fill(array, (byte) 0x33);
            byte[] arrayBefore = array.clone();
            String what = " with array range (" + index + ", length " + length + ") of an array of 8, on a heap of "
                    + capacity;
            assertThrowsOutOfBounds(() -> heap.getBytes(0, array, index, length), "getBytes" + what);
            assertArrayEquals(arrayBefore, array, "the array after a refused getBytes" + what);
            assertThrowsOutOfBounds(() -> heap.putBytes(0, array, index, length), "putBytes" + what);
            Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after a refused putBytes" + what);
        }
        assertThrows(NullPointerException.class, () -> heap.getBytes(0, null, 0, 4), "getBytes into null");
        assertThrows(NullPointerException.class, () -> heap.putBytes(0, null, 0, 4), "putBytes from null");
        Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after refused accesses with null arrays");
    }

    /**
     * Verifies rule H10: the {@link IndexOutOfBoundsException} of an access outside the heap names the
     * offset and the capacity, so that the failing access can be found from the message alone. If this
     * fails, build the message with {@link io.github.emballoc.api.HeapBounds#check(int, int, int)} or include
     * both numbers in your own.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H10: out-of-bounds messages name the offset and the capacity")
    default void h10_outOfBoundsMessagesNameTheAccess() throws Exception {
        for (int capacity : edgeCapacities()) {
            outOfBoundsMessagesNameTheAccess(newHeap(capacity));
        }
    }

    private static void outOfBoundsMessagesNameTheAccess(RawHeap heap) {
        int capacity = heap.capacity();
        for (int offset : new int[] {-7, capacity, capacity + 13}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> heap.getInt(offset),
                    "getInt(" + offset + ")");
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains(Integer.toString(offset)) && message.contains(Integer.toString(capacity)),
                    "the message of getInt(" + offset + ") on a heap of " + capacity
                            + " should name both numbers, was: " + message);
            IndexOutOfBoundsException f = assertThrows(IndexOutOfBoundsException.class,
                    () -> heap.fill(offset, 3, (byte) 1), "fill(" + offset + ", 3)");
            String fillMessage = String.valueOf(f.getMessage());
            assertTrue(fillMessage.contains(Integer.toString(offset)) && fillMessage.contains(Integer.toString(capacity)),
                    "the message of fill(" + offset + ", 3) on a heap of " + capacity
                            + " should name both numbers, was: " + fillMessage);
        }
    }

    /**
     * Verifies rule H11: single-value accesses allocate no objects (allocators call them on every header
     * they read). Measured with the JVM's per-thread allocation counter after a warm-up, as less than one
     * byte per access on average; skipped where the JVM has no such counter. If this fails, look for boxing
     * (a generic helper, a {@code Map}), a {@code ByteBuffer} view or slice made per access, or a message
     * built before the bounds check fails.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H11: single-value accesses allocate no objects")
    default void h11_singleValueAccessesAllocateNothing() throws Exception {
        AllocationMeter meter = AllocationMeter.orSkip();
        RawHeap heap = newHeap(4096);
        long sink = accessLoop(heap, AllocationMeter.WARM_UP);
        int rounds = 50_000;
        long before = meter.allocatedBytes();
        sink += accessLoop(heap, rounds);
        long allocated = meter.allocatedBytes() - before;
        int accesses = rounds * 6;
        assertTrue(allocated < accesses, "single-value accesses allocated " + allocated + " bytes in " + accesses
                + " accesses (checksum " + sink + ")");
    }

    /**
     * A capacity that is a multiple of 8 and the one 4 bytes less: both residues modulo 8 that the format
     * allows.
     */
    private static int[] aroundAWord(int multipleOf8) {
        return new int[] {multipleOf8 - 4, multipleOf8};
    }

    /**
     * Capacities of every residue modulo 8 and modulo 16 that the format allows (60, 64, 68, 72), and the two
     * smallest (8, 12): a heap that keeps its bytes in words of 8 or 16 bytes has a partly used last word in
     * some of them, and its end must still be exactly {@code capacity}.
     */
    private static int[] edgeCapacities() {
        return new int[] {8, 12, 60, 64, 68, 72};
    }

    private static long accessLoop(RawHeap heap, int rounds) {
        int mask = heap.capacity() - 16;
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            int offset = (i * 8 + (i >>> 9)) & mask;
            heap.putByte(offset, (byte) i);
            heap.putInt(offset + 1, i);
            heap.putLong(offset + 5, i * 0x9E3779B97F4A7C15L);
            sum += heap.getByte(offset) + heap.getInt(offset + 1) + heap.getLong(offset + 5);
        }
        return sum;
    }

    private static byte[] background(int capacity) {
        byte[] bytes = new byte[capacity];
        for (int i = 0; i < capacity; i++) {
            bytes[i] = (byte) (0xA0 + i * 13);
        }
        return bytes;
    }

    /** Offsets at which an access of {@code width} bytes touches at least one byte outside the heap. */
    private static int[] outsideOffsets(int capacity, int width) {
        int[] candidates = {-1, -width, -width + 1, Integer.MIN_VALUE, capacity - width + 1, capacity - 1, capacity,
            capacity + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - width + 2};
        return java.util.Arrays.stream(candidates)
                .filter(offset -> offset < 0 || (long) offset + width > capacity)
                .distinct()
                .toArray();
    }

    private static void get(RawHeap heap, int width, int offset) {
        switch (width) {
            case 1 -> heap.getByte(offset);
            case 4 -> heap.getInt(offset);
            default -> heap.getLong(offset);
        }
    }

    private static void put(RawHeap heap, int width, int offset) {
        switch (width) {
            case 1 -> heap.putByte(offset, (byte) 0x7F);
            case 4 -> heap.putInt(offset, 0x7F7F7F7F);
            default -> heap.putLong(offset, 0x7F7F7F7F7F7F7F7FL);
        }
    }

    private static void assertThrowsOutOfBounds(Executable access, String what) {
        try {
            access.execute();
        } catch (IndexOutOfBoundsException expected) {
            return;
        } catch (Throwable other) {
            fail(what + " should throw IndexOutOfBoundsException, threw " + other, other);
        }
        fail(what + " should throw IndexOutOfBoundsException, returned normally");
    }
}
