package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.RawHeap;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance contract of a {@link RawHeap}: the promises of its documentation, checked as rules
 * {@code H1} to {@code H15}.
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
 *
 * <p>Optional behaviour: declare {@link RawHeapFeature#BYTE_BUFFER_VIEWS} in {@link #features()} if the heap
 * gives {@link java.nio.ByteBuffer} views (rule H14), and implement {@link #newReadOnlyHeap(byte[])} if it
 * has a read-only form (rule H15).
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

    /**
     * Declares the optional behaviour of the heap under test. The default declares nothing.
     *
     * @return the features the heap offers; rules that need one that is missing are skipped, naming it
     */
    default Set<RawHeapFeature> features() {
        return EnumSet.noneOf(RawHeapFeature.class);
    }

    /**
     * Makes a read-only heap holding exactly {@code content} (its capacity is {@code content.length}), for
     * rule H15: for example {@code RawHeaps.wrap(ByteBuffer.wrap(content).asReadOnlyBuffer())}, or a file
     * written with {@code content} and opened with {@code RawHeaps.mapReadOnly}. The default returns
     * {@code null}: the heap has no read-only form, and H15 checks only that {@link #newHeap(int)}'s heaps say
     * they are writable.
     *
     * @param content the bytes the heap holds (the heap may share or copy them; the contract does not change
     *     them)
     * @return a read-only heap, or {@code null} if there is none
     * @throws Exception if the heap cannot be made (the test fails with it)
     */
    default RawHeap newReadOnlyHeap(byte[] content) throws Exception {
        return null;
    }

    /**
     * Verifies rule H12: {@code copy(src, dst, length)} moves bytes within the heap as
     * {@link System#arraycopy} does, including when the two ranges overlap in either direction (memmove, not
     * memcpy), and changes nothing else; a range outside the heap on either side, a negative length, or an
     * offset plus length past {@code Integer.MAX_VALUE} throws {@link IndexOutOfBoundsException} and writes
     * nothing. If this fails, check the copy's direction (copying forwards when the destination lies after an
     * overlapping source repeats the first bytes), that both ranges are checked before the first write, and
     * for {@code offset + length} overflowing.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H12: copy moves bytes like memmove, overlapping either way, and refuses ranges outside")
    default void h12_copyIsAMemmove() throws Exception {
        RawHeap heap = newHeap(128);
        int capacity = heap.capacity();
        SplittableRandom random = new SplittableRandom(0x4838L);
        byte[] expected = background(capacity);
        heap.putBytes(0, expected, 0, capacity);
        for (int round = 0; round < 400; round++) {
            int length = random.nextInt(round % 4 == 0 ? capacity + 1 : 40);
            int src = random.nextInt(capacity - length + 1);
            int dst;
            if (round % 3 == 0) {                         // an overlapping destination, before or after
                int shift = random.nextInt(1, 17) * (random.nextBoolean() ? 1 : -1);
                dst = Math.max(0, Math.min(capacity - length, src + shift));
            } else {
                dst = random.nextInt(capacity - length + 1);
            }
            heap.copy(src, dst, length);
            System.arraycopy(expected, src, expected, dst, length);
            Checks.assertSameBytes(expected, Checks.snapshotBytewise(heap),
                    "after copy(" + src + ", " + dst + ", " + length + ") on a heap of " + capacity);
            if (round % 25 == 0) {
                random.nextBytes(expected);
                heap.putBytes(0, expected, 0, capacity);
            }
        }
        int[][] outside = {
            {0, 0, -1}, {-1, 0, 4}, {0, -1, 4}, {capacity - 3, 0, 4}, {0, capacity - 3, 4}, {0, 0, capacity + 1},
            {capacity, 0, 1}, {0, capacity, 1}, {1, 0, capacity}, {0, 1, capacity}, {Integer.MAX_VALUE, 0, 2},
            {0, Integer.MAX_VALUE, 2}, {8, 16, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 0, 4}, {0, Integer.MIN_VALUE, 4},
            {16, 8, Integer.MIN_VALUE},
        };
        for (int[] range : outside) {
            String what = "copy(" + range[0] + ", " + range[1] + ", " + range[2] + ") on a heap of " + capacity;
            assertThrowsOutOfBounds(() -> heap.copy(range[0], range[1], range[2]), what);
            Checks.assertSameBytes(expected, Checks.snapshotBytewise(heap), "after a refused " + what);
        }
        heap.copy(capacity, 0, 0);                        // empty ranges at the end are inside
        heap.copy(0, capacity, 0);
        Checks.assertSameBytes(expected, Checks.snapshotBytewise(heap), "after copies of 0 bytes");
    }

    /**
     * Verifies rule H13: {@code asByteBuffer(offset, length)} with a range outside the heap (a negative offset
     * or length, past the capacity, or overflowing) throws {@link IndexOutOfBoundsException}, whether or not
     * the heap gives views, and changes nothing; a range inside either gives a view or, for a heap that gives
     * none, throws {@link UnsupportedOperationException}. If this fails, check the range against the heap's
     * capacity before making the view (a slice of a larger backing buffer or array does not stop at the
     * heap's end), as the interface's default does.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H13: views of ranges outside the heap are refused")
    default void h13_viewBounds() throws Exception {
        RawHeap heap = newHeap(64);
        int capacity = heap.capacity();
        byte[] background = background(capacity);
        heap.putBytes(0, background, 0, capacity);
        int[][] outside = {
            {-1, 1}, {-1, 0}, {0, -1}, {capacity, 1}, {capacity + 1, 0}, {capacity - 3, 4}, {0, capacity + 1},
            {1, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 1}, {Integer.MIN_VALUE, 8}, {8, Integer.MIN_VALUE},
        };
        for (int[] range : outside) {
            String what = "asByteBuffer(" + range[0] + ", " + range[1] + ") on a heap of " + capacity;
            assertThrowsOutOfBounds(() -> heap.asByteBuffer(range[0], range[1]), what);
            Checks.assertSameBytes(background, Checks.snapshotBytewise(heap), "after a refused " + what);
        }
        for (int[] range : new int[][] {{0, capacity}, {capacity, 0}, {capacity - 8, 8}, {3, 5}}) {
            try {
                ByteBuffer view = heap.asByteBuffer(range[0], range[1]);
                assertNotNull(view, "asByteBuffer(" + range[0] + ", " + range[1] + ") returned null");
            } catch (UnsupportedOperationException noViews) {
                // a heap may give no views; rule H14 says whether it declared it does
            }
        }
    }

    /**
     * Verifies rule H14 (when the heap gives views; {@link RawHeapFeature#BYTE_BUFFER_VIEWS} makes a refusal a
     * failure): a view of {@code [offset, offset + length)} has position 0, limit and capacity
     * {@code length}, the heap's byte order, and the heap's bytes, shared both ways (a write through the view
     * is read by the heap and the other way round); a write past its end throws
     * ({@link java.nio.BufferOverflowException} for a relative put, {@link IndexOutOfBoundsException} for an
     * absolute one) and changes no byte of the heap; each call gives a new buffer. If this fails, check that
     * the view is a slice (not a duplicate with a position, nor a copy), that its limit is the length asked
     * for (not the rest of the heap), and that its order is set ({@link ByteBuffer#slice()} resets it to
     * big-endian).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("H14: views are bounded, shared both ways, in the heap's order")
    default void h14_views() throws Exception {
        RawHeap heap = newHeap(128);
        int capacity = heap.capacity();
        try {
            heap.asByteBuffer(0, capacity);
        } catch (UnsupportedOperationException refused) {
            if (features().contains(RawHeapFeature.BYTE_BUFFER_VIEWS)) {
                fail("the heap declares BYTE_BUFFER_VIEWS but asByteBuffer(0, " + capacity + ") threw " + refused,
                        refused);
            }
            Checks.assumeFeature(features(), RawHeapFeature.BYTE_BUFFER_VIEWS, "asByteBuffer gives views");
        }
        byte[] expected = background(capacity);
        heap.putBytes(0, expected, 0, capacity);
        int[][] ranges = {{0, capacity}, {8, 16}, {capacity - 24, 24}, {5, 11}, {capacity, 0}, {0, 0}, {61, 1}};
        for (int[] range : ranges) {
            int offset = range[0];
            int length = range[1];
            String what = "the view asByteBuffer(" + offset + ", " + length + ") of a heap of " + capacity;
            ByteBuffer view = heap.asByteBuffer(offset, length);
            assertNotSame(view, heap.asByteBuffer(offset, length), "each call gives a new buffer");
            assertEquals(0, view.position(), what + ": position");
            assertEquals(length, view.limit(), what + ": limit");
            assertEquals(length, view.capacity(), what + ": capacity");
            assertSame(heap.order(), view.order(), what + ": order");
            assertEquals(heap.isReadOnly(), view.isReadOnly(), what + ": read-only like the heap");
            for (int i = 0; i < length; i++) {
                assertEquals(expected[offset + i], view.get(i), what + ": byte " + i);
            }
            if (length >= 8) {
                long composed = 0;
                boolean little = heap.order() == ByteOrder.LITTLE_ENDIAN;
                for (int i = 0; i < 8; i++) {
                    composed |= (expected[offset + i] & 0xFFL) << (little ? 8 * i : 8 * (7 - i));
                }
                assertEquals(composed, view.getLong(0), what + ": getLong(0) in the heap's order");
            }
            if (length > 0) {
                byte value = (byte) (expected[offset] ^ 0x5A);
                view.put(0, value);
                expected[offset] = value;
                assertEquals(value, heap.getByte(offset), what + ": a write through the view reaches the heap");
                byte other = (byte) (value ^ 0x33);
                heap.putByte(offset + length - 1, other);
                expected[offset + length - 1] = other;
                assertEquals(other, view.get(length - 1), what + ": a write to the heap shows in the view");
            }
            view.position(length);
            assertThrows(BufferOverflowException.class, () -> view.put((byte) 0x7F), what + ": a put past the end");
            assertThrows(IndexOutOfBoundsException.class, () -> view.put(length, (byte) 0x7F),
                    what + ": put(" + length + ")");
            assertThrows(IndexOutOfBoundsException.class, () -> view.putInt(Math.max(0, length - 3), 0x7F7F7F7F),
                    what + ": an int across the end");
            Checks.assertSameBytes(expected, Checks.snapshotBytewise(heap), "after writes past the end of " + what);
        }
    }

    /**
     * Verifies rule H15: the heaps {@link #newHeap(int)} makes say they are writable
     * ({@link RawHeap#isReadOnly()} is {@code false}); and a read-only heap from
     * {@link #newReadOnlyHeap(byte[])} (when there is one) says it is read-only, reads its content in its order,
     * refuses every write inside its bounds ({@code put} of each width, {@code putBytes}, {@code fill},
     * {@code copy}) with {@link java.nio.ReadOnlyBufferException} and every write outside them with
     * {@link IndexOutOfBoundsException}, changes no byte, and gives only read-only views. If this fails, check
     * that the read-only check comes before the first byte is written, in every write method (including the
     * bulk ones and {@code copy}), and that views are made read-only too.
     *
     * @throws Exception if {@link #newHeap(int)} or {@link #newReadOnlyHeap(byte[])} throws
     */
    @Test
    @DisplayName("H15: a read-only heap refuses every write and changes nothing")
    default void h15_readOnlyHeapsRefuseEveryWrite() throws Exception {
        assertFalse(newHeap(64).isReadOnly(), "isReadOnly() of a heap made by newHeap, which the contract writes");
        byte[] content = background(64);
        RawHeap heap = newReadOnlyHeap(content.clone());
        Assumptions.assumeTrue(heap != null,
                "skipped: newReadOnlyHeap returns null (override it to check the heap's read-only form)");
        int capacity = heap.capacity();
        assertEquals(content.length, capacity, "capacity() of newReadOnlyHeap(" + content.length + " bytes)");
        assertTrue(heap.isReadOnly(), "isReadOnly() of a heap made by newReadOnlyHeap");
        Checks.assertSameBytes(content, Checks.snapshotBytewise(heap), "the content of a read-only heap");
        boolean little = heap.order() == ByteOrder.LITTLE_ENDIAN;
        int composed = 0;
        for (int i = 0; i < 4; i++) {
            composed |= (content[5 + i] & 0xFF) << (little ? 8 * i : 8 * (3 - i));
        }
        assertEquals(composed, heap.getInt(5), "getInt(5) of a read-only heap, in " + heap.order());
        for (int offset : new int[] {0, 7, capacity - 8}) {
            Map<String, Consumer<RawHeap>> writes = new LinkedHashMap<>();
            writes.put("putByte(" + offset + ")", h -> h.putByte(offset, (byte) 1));
            writes.put("putInt(" + offset + ")", h -> h.putInt(offset, 1));
            writes.put("putLong(" + offset + ")", h -> h.putLong(offset, 1L));
            writes.put("putBytes(" + offset + ", 8 bytes)", h -> h.putBytes(offset, new byte[8], 0, 8));
            writes.put("fill(" + offset + ", 8)", h -> h.fill(offset, 8, (byte) 1));
            writes.put("copy(16, " + offset + ", 8)", h -> h.copy(16, offset, 8));
            for (Map.Entry<String, Consumer<RawHeap>> write : writes.entrySet()) {
                try {
                    write.getValue().accept(heap);
                    fail(write.getKey() + " on a read-only heap returned normally");
                } catch (java.nio.ReadOnlyBufferException expected) {
                    // refused
                } catch (RuntimeException other) {
                    fail(write.getKey() + " on a read-only heap should throw ReadOnlyBufferException, threw " + other,
                            other);
                }
                Checks.assertSameBytes(content, Checks.snapshotBytewise(heap), "after a refused " + write.getKey());
            }
        }
        assertThrowsOutOfBounds(() -> heap.putInt(capacity - 2, 1), "putInt(" + (capacity - 2) + ") on a read-only heap");
        assertThrowsOutOfBounds(() -> heap.fill(-1, 4, (byte) 1), "fill(-1, 4) on a read-only heap");
        Checks.assertSameBytes(content, Checks.snapshotBytewise(heap), "after refused writes outside the heap");
        try {
            ByteBuffer view = heap.asByteBuffer(8, 16);
            assertTrue(view.isReadOnly(), "a view of a read-only heap must be read-only");
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, (byte) 1),
                    "a write through a view of a read-only heap");
        } catch (UnsupportedOperationException noViews) {
            if (features().contains(RawHeapFeature.BYTE_BUFFER_VIEWS)) {
                fail("the heap declares BYTE_BUFFER_VIEWS but its read-only form gives no view: " + noViews, noViews);
            }
        }
        Checks.assertSameBytes(content, Checks.snapshotBytewise(heap), "after a refused write through a view");
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
