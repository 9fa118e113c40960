package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every standard heap of {@link RawHeaps}, through the same tests: capacity and order, zero fill, round trips
 * of every width at every offset including the last valid one, the byte layout of both orders, bulk copies
 * and fill, and out-of-bounds accesses on every method, rejected with a message naming offset, length and
 * capacity and without touching a byte.
 */
class StandardHeapsTest {

    /** Odd and not a multiple of 8, so the last valid offset of each width is a distinct case. */
    private static final int CAPACITY = 37;

    /**
     * A mapped heap must have a capacity an allocator can use (a multiple of 4); 44 is not a multiple of 8, so
     * the last long sits at an offset that is not a multiple of 8.
     */
    private static final int MAPPED_CAPACITY = 44;

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    /** One way of making a heap, the order it must have, and the capacity the tests use for it. */
    record Kind(String name, ByteOrder order, int capacity, IntFunction<RawHeap> factory) {
        Kind(String name, ByteOrder order, IntFunction<RawHeap> factory) {
            this(name, order, CAPACITY, factory);
        }

        RawHeap make() {
            return factory.apply(capacity);
        }

        RawHeap make(int otherCapacity) {
            return factory.apply(otherCapacity);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.concat(memoryKinds(), mappedKinds());
    }

    /** The heaps in memory, which can have any capacity, 0 included. */
    static Stream<Kind> memoryKinds() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        ByteOrder be = ByteOrder.BIG_ENDIAN;
        return Stream.of(
                new Kind("allocate(cap)", le, RawHeaps::allocate),
                new Kind("allocate(cap, LE)", le, c -> RawHeaps.allocate(c, le)),
                new Kind("allocate(cap, BE)", be, c -> RawHeaps.allocate(c, be)),
                new Kind("wrap(byte[])", le, c -> RawHeaps.wrap(new byte[c])),
                new Kind("wrap(byte[], BE)", be, c -> RawHeaps.wrap(new byte[c], be)),
                new Kind("wrap(heap ByteBuffer LE)", le, c -> RawHeaps.wrap(guarded(ByteBuffer.allocate(c + 7), c, le))),
                new Kind("wrap(heap ByteBuffer BE)", be, c -> RawHeaps.wrap(guarded(ByteBuffer.allocate(c + 7), c, be))),
                new Kind("wrap(heap ByteBuffer BE, LE)", le,
                        c -> RawHeaps.wrap(guarded(ByteBuffer.allocate(c + 7), c, be), le)),
                new Kind("wrap(direct ByteBuffer LE)", le,
                        c -> RawHeaps.wrap(guarded(ByteBuffer.allocateDirect(c + 7), c, le))),
                new Kind("wrap(direct ByteBuffer BE)", be,
                        c -> RawHeaps.wrap(guarded(ByteBuffer.allocateDirect(c + 7), c, be))),
                new Kind("wrap(direct ByteBuffer LE, BE)", be,
                        c -> RawHeaps.wrap(guarded(ByteBuffer.allocateDirect(c + 7), c, le), be)),
                new Kind("allocateDirect(cap)", le, RawHeaps::allocateDirect),
                new Kind("allocateDirect(cap, BE)", be, c -> RawHeaps.allocateDirect(c, be)));
    }

    /** The mapped heaps, at a capacity an allocator can use. */
    static Stream<Kind> mappedKinds() {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        ByteOrder be = ByteOrder.BIG_ENDIAN;
        return Stream.of(
                new Kind("map(file, cap)", le, MAPPED_CAPACITY, c -> map(c, null)),
                new Kind("map(file, cap, LE)", le, MAPPED_CAPACITY, c -> map(c, le)),
                new Kind("map(file, cap, BE)", be, MAPPED_CAPACITY, c -> map(c, be)));
    }

    /**
     * A buffer whose heap part is {@code [3, 3 + capacity)}; the bytes around it are zero too, so a stray
     * write outside the slice shows up as a changed image of the whole buffer (checked in
     * {@link #guardBytesOutsideTheSliceAreNeverTouched()}).
     */
    private static ByteBuffer guarded(ByteBuffer buffer, int capacity, ByteOrder order) {
        buffer.order(order);
        buffer.position(3);
        buffer.limit(3 + capacity);
        return buffer;
    }

    private static RawHeap map(int capacity, ByteOrder order) {
        Path file = dir.resolve("heap-" + FILES.incrementAndGet() + ".bin");
        try {
            return order == null ? RawHeaps.map(file, capacity) : RawHeaps.map(file, capacity, order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] image(RawHeap heap) {
        byte[] bytes = new byte[heap.capacity()];
        heap.getBytes(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** The bytes of {@code value}'s low {@code width} bytes in {@code order}, computed with shifts. */
    private static byte[] layout(long value, int width, ByteOrder order) {
        byte[] bytes = new byte[width];
        for (int i = 0; i < width; i++) {
            byte b = (byte) (value >>> (8 * i));
            bytes[order == ByteOrder.LITTLE_ENDIAN ? i : width - 1 - i] = b;
        }
        return bytes;
    }

    private static byte[] bytesAt(RawHeap heap, int offset, int width) {
        byte[] bytes = new byte[width];
        for (int i = 0; i < width; i++) {
            bytes[i] = heap.getByte(offset + i);
        }
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void newHeapHasItsCapacityAndOrderAndOnlyZeros(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        assertEquals(capacity, heap.capacity());
        assertEquals(kind.order(), heap.order());
        assertArrayEquals(new byte[capacity], image(heap));
        assertDoesNotThrow(heap::force);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bytesRoundTripAtEveryOffset(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        for (int offset = 0; offset < capacity; offset++) {
            heap.putByte(offset, (byte) (0x80 + 3 * offset));
        }
        for (int offset = 0; offset < capacity; offset++) {
            assertEquals((byte) (0x80 + 3 * offset), heap.getByte(offset), "offset " + offset);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void intsRoundTripAtEveryOffsetInTheHeapsOrder(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        for (int offset = 0; offset <= capacity - Integer.BYTES; offset++) {
            int value = 0x8A4B2C1D ^ (offset * 0x01010101);
            heap.fill(0, capacity, (byte) 0);
            heap.putInt(offset, value);
            assertEquals(value, heap.getInt(offset), "offset " + offset);
            assertArrayEquals(layout(value, Integer.BYTES, kind.order()), bytesAt(heap, offset, Integer.BYTES),
                    "layout at offset " + offset);
            byte[] expected = new byte[capacity];
            System.arraycopy(layout(value, Integer.BYTES, kind.order()), 0, expected, offset, Integer.BYTES);
            assertArrayEquals(expected, image(heap), "only the 4 bytes at offset " + offset + " change");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void longsRoundTripAtEveryOffsetInTheHeapsOrder(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        for (int offset = 0; offset <= capacity - Long.BYTES; offset++) {
            long value = 0x8877665544332211L ^ (offset * 0x0101010101010101L);
            heap.fill(0, capacity, (byte) 0);
            heap.putLong(offset, value);
            assertEquals(value, heap.getLong(offset), "offset " + offset);
            byte[] expected = new byte[capacity];
            System.arraycopy(layout(value, Long.BYTES, kind.order()), 0, expected, offset, Long.BYTES);
            assertArrayEquals(expected, image(heap), "only the 8 bytes at offset " + offset + " change");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void multiByteReadsAssembleTheBytesInTheHeapsOrder(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        int last = capacity - 1;
        for (int i = 0; i < 8; i++) {
            heap.putByte(last - 7 + i, (byte) (0x11 * (i + 1)));
        }
        boolean little = kind.order() == ByteOrder.LITTLE_ENDIAN;
        assertEquals(little ? 0x88776655 : 0x55667788, heap.getInt(last - 3));
        assertEquals(little ? 0x8877665544332211L : 0x1122334455667788L, heap.getLong(last - 7));
        heap.putInt(0, 0x01020304);
        assertArrayEquals(little ? new byte[] {4, 3, 2, 1} : new byte[] {1, 2, 3, 4}, bytesAt(heap, 0, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bulkCopiesMoveExactlyTheRangeAskedFor(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        byte[] src = new byte[20];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i + 1);
        }
        heap.putBytes(capacity - 10, src, 5, 10);
        byte[] expected = new byte[capacity];
        System.arraycopy(src, 5, expected, capacity - 10, 10);
        assertArrayEquals(expected, image(heap));

        byte[] dst = new byte[16];
        Arrays.fill(dst, (byte) -1);
        heap.getBytes(capacity - 12, dst, 3, 12);
        byte[] expectedDst = new byte[16];
        Arrays.fill(expectedDst, (byte) -1);
        System.arraycopy(expected, capacity - 12, expectedDst, 3, 12);
        assertArrayEquals(expectedDst, dst);

        // empty copies are valid anywhere in [0, capacity], including at the end of both
        heap.putBytes(capacity, src, src.length, 0);
        heap.getBytes(capacity, dst, dst.length, 0);
        assertArrayEquals(expected, image(heap));
        assertArrayEquals(expectedDst, dst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void fillSetsExactlyTheRangeForEveryOffsetAndLength(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        byte[] model = new byte[capacity];
        byte value = 1;
        for (int offset = 0; offset <= capacity; offset += 3) {
            for (int length = 0; offset + length <= capacity; length += 5) {
                value = (byte) (value * 7 + 3);
                heap.fill(offset, length, value);
                Arrays.fill(model, offset, offset + length, value);
                assertArrayEquals(model, image(heap), "fill(" + offset + ", " + length + ")");
            }
        }
        heap.fill(0, capacity, (byte) 0xA5);
        Arrays.fill(model, (byte) 0xA5);
        assertArrayEquals(model, image(heap));
    }

    /** An out-of-bounds access: what it is, how to run it, and the offset and length it must report. */
    record Access(String what, int offset, int length, Consumer<RawHeap> action) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static List<Access> outOfBounds(int capacity) {
        List<Access> accesses = new ArrayList<>();
        int[] byteOffsets = {-1, capacity, capacity + 1, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (int offset : byteOffsets) {
            accesses.add(new Access("getByte(" + offset + ")", offset, 1, h -> h.getByte(offset)));
            accesses.add(new Access("putByte(" + offset + ")", offset, 1, h -> h.putByte(offset, (byte) 9)));
        }
        int[] intOffsets = {-1, -4, capacity - 3, capacity - 1, capacity, Integer.MAX_VALUE - 3, Integer.MAX_VALUE,
                Integer.MIN_VALUE};
        for (int offset : intOffsets) {
            accesses.add(new Access("getInt(" + offset + ")", offset, 4, h -> h.getInt(offset)));
            accesses.add(new Access("putInt(" + offset + ")", offset, 4, h -> h.putInt(offset, -1)));
        }
        int[] longOffsets = {-1, -8, capacity - 7, capacity - 1, capacity, Integer.MAX_VALUE - 7, Integer.MAX_VALUE,
                Integer.MIN_VALUE};
        for (int offset : longOffsets) {
            accesses.add(new Access("getLong(" + offset + ")", offset, 8, h -> h.getLong(offset)));
            accesses.add(new Access("putLong(" + offset + ")", offset, 8, h -> h.putLong(offset, -1L)));
        }
        int[][] ranges = {{-1, 1}, {-1, 0}, {0, -1}, {capacity, -1}, {capacity, 1}, {capacity + 1, 0},
                {capacity - 2, 3}, {0, capacity + 1}, {1, capacity}, {Integer.MAX_VALUE, 1}, {1, Integer.MAX_VALUE},
                {Integer.MAX_VALUE, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 1}, {0, Integer.MIN_VALUE}};
        for (int[] range : ranges) {
            int offset = range[0];
            int length = range[1];
            String args = "(" + offset + ", .., " + length + ")";
            accesses.add(new Access("getBytes" + args, offset, length,
                    h -> h.getBytes(offset, new byte[64], 0, length)));
            accesses.add(new Access("putBytes" + args, offset, length,
                    h -> h.putBytes(offset, new byte[64], 0, length)));
            accesses.add(new Access("fill(" + offset + ", " + length + ")", offset, length,
                    h -> h.fill(offset, length, (byte) 9)));
        }
        return accesses;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyOutOfBoundsAccessIsRejectedWithItsFiguresAndTouchesNothing(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        for (int i = 0; i < capacity; i++) {
            heap.putByte(i, (byte) (i + 100));
        }
        byte[] before = image(heap);
        for (Access access : outOfBounds(capacity)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> access.action().accept(heap), access.what());
            assertEquals("access of " + access.length() + " byte(s) at offset " + access.offset()
                    + " is out of bounds for a heap of capacity " + capacity, e.getMessage(), access.what());
            assertArrayEquals(before, image(heap), access.what() + " changed the heap");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memoryKinds")
    void anEmptyHeapRejectsEveryAccessButEmptyRanges(Kind kind) {
        RawHeap heap = kind.make(0);
        assertEquals(0, heap.capacity());
        for (Access access : outOfBounds(0)) {
            assertThrows(IndexOutOfBoundsException.class, () -> access.action().accept(heap), access.what());
        }
        heap.fill(0, 0, (byte) 1);
        heap.getBytes(0, new byte[0], 0, 0);
        heap.putBytes(0, new byte[0], 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bulkCopiesRejectArrayRangesOutsideTheArrayAndCopyNothing(Kind kind) {
        int capacity = kind.capacity();
        RawHeap heap = kind.make();
        heap.fill(0, capacity, (byte) 7);
        byte[] before = image(heap);
        byte[] array = new byte[10];
        Arrays.fill(array, (byte) 1);
        int[][] ranges = {{-1, 2}, {0, 11}, {9, 2}, {10, 1}, {11, 0}, {Integer.MAX_VALUE, 2}};
        for (int[] range : ranges) {
            int index = range[0];
            int length = range[1];
            String expected = "array range [" + index + ", " + index + " + " + length
                    + ") is out of bounds for an array of length 10";
            Executable get = () -> heap.getBytes(0, array, index, length);
            Executable put = () -> heap.putBytes(0, array, index, length);
            assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, get).getMessage());
            assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, put).getMessage());
            byte[] ones = new byte[10];
            Arrays.fill(ones, (byte) 1);
            assertArrayEquals(ones, array, "getBytes wrote into the array");
            assertArrayEquals(before, image(heap), "putBytes wrote into the heap");
        }
        assertThrows(NullPointerException.class, () -> heap.getBytes(0, null, 0, 1));
        assertThrows(NullPointerException.class, () -> heap.putBytes(0, null, 0, 1));
        assertArrayEquals(before, image(heap));
    }

    /** The wrapped buffers have 3 guard bytes before and 4 after the heap; no heap access may reach them. */
    @Test
    void guardBytesOutsideTheSliceAreNeverTouched() {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(CAPACITY + 7) : ByteBuffer.allocate(CAPACITY + 7);
            RawHeap heap = RawHeaps.wrap(guarded(buffer, CAPACITY, ByteOrder.LITTLE_ENDIAN));
            heap.fill(0, CAPACITY, (byte) -1);
            heap.putLong(CAPACITY - 8, -1L);
            heap.putInt(0, -1);
            heap.putBytes(CAPACITY - 3, new byte[] {-1, -1, -1}, 0, 3);
            for (Access access : outOfBounds(CAPACITY)) {
                assertThrows(IndexOutOfBoundsException.class, () -> access.action().accept(heap), access.what());
            }
            buffer.clear(); // absolute reads of the whole buffer, guards included
            for (int i = 0; i < CAPACITY + 7; i++) {
                boolean inside = i >= 3 && i < 3 + CAPACITY;
                assertEquals(inside ? (byte) -1 : 0, buffer.get(i), (direct ? "direct" : "heap") + " buffer byte " + i);
            }
        }
    }
}
