package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RawHeaps#wrap(ByteBuffer)} and {@link RawHeaps#wrap(ByteBuffer, ByteOrder)}: the position-to-limit
 * slice, the order (the buffer's, or the one given), and read-only buffers.
 */
class WrapByteBufferTest {

    private static ByteBuffer numbered(boolean direct, int size) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (byte) i);
        }
        return buffer;
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void theHeapIsThePositionToLimitSliceAndSharesTheContent(boolean direct) {
        ByteBuffer buffer = numbered(direct, 16);
        buffer.position(4).limit(12);
        RawHeap heap = RawHeaps.wrap(buffer);

        assertEquals(8, heap.capacity());
        assertEquals(4, heap.getByte(0));
        assertEquals(11, heap.getByte(7));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getByte(8));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getByte(-1));

        heap.putByte(0, (byte) 99);
        heap.putInt(4, 0x01020304);
        assertEquals(99, buffer.get(4), "the heap writes the buffer's own bytes");
        assertEquals(ByteOrder.BIG_ENDIAN, heap.order(), "a new buffer's order is big-endian");
        assertEquals(0x01020304, buffer.getInt(8));
        buffer.put(5, (byte) 55);
        assertEquals(55, heap.getByte(1), "the heap sees writes made through the buffer");

        assertEquals(4, buffer.position(), "the heap never moves the buffer's position");
        assertEquals(12, buffer.limit(), "the heap never moves the buffer's limit");
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void theHeapKeepsTheBuffersOrderAndIgnoresLaterChangesToTheBuffer(boolean direct) {
        ByteBuffer buffer = numbered(direct, 16).order(ByteOrder.BIG_ENDIAN);
        buffer.position(2).limit(10);
        RawHeap heap = RawHeaps.wrap(buffer);
        assertEquals(ByteOrder.BIG_ENDIAN, heap.order());
        assertEquals(0x02030405, heap.getInt(0));

        buffer.order(ByteOrder.LITTLE_ENDIAN);
        buffer.clear();
        buffer.position(7);
        buffer.limit(9);

        assertEquals(ByteOrder.BIG_ENDIAN, heap.order());
        assertEquals(8, heap.capacity());
        assertEquals(0x02030405, heap.getInt(0));
        assertEquals(0x0203040506070809L, heap.getLong(0));
        heap.putLong(0, 0x1112131415161718L);
        buffer.clear();
        assertEquals(0x11, buffer.get(2), "big-endian: the most significant byte first");
        assertEquals(0x18, buffer.get(9));
    }

    @Test
    void aWholeBufferWithTheDefaultOrderGivesABigEndianHeap() {
        RawHeap heap = RawHeaps.wrap(ByteBuffer.allocate(12));
        assertEquals(ByteOrder.BIG_ENDIAN, heap.order(), "a new ByteBuffer is big-endian, and the heap keeps it");
        assertEquals(12, heap.capacity());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void theOrderGivenWinsOverTheBuffersAndTheBuffersOrderIsLeftAlone(boolean direct) {
        ByteBuffer buffer = numbered(direct, 16);
        buffer.position(4).limit(12);
        RawHeap little = RawHeaps.wrap(buffer, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ByteOrder.BIG_ENDIAN, buffer.order(), "the buffer keeps its own order");
        assertEquals(ByteOrder.LITTLE_ENDIAN, little.order());
        assertEquals(8, little.capacity());
        assertEquals(0x07060504, little.getInt(0));
        little.putInt(4, 0x0D0C0B0A);
        assertEquals(0x0A, buffer.get(8), "little-endian: the least significant byte first, in the buffer itself");
        assertEquals(4, buffer.position());
        assertEquals(12, buffer.limit());

        RawHeap big = RawHeaps.wrap(buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN), ByteOrder.BIG_ENDIAN);
        assertEquals(ByteOrder.BIG_ENDIAN, big.order());
        assertEquals(0x04050607, big.getInt(0));
        assertEquals(0x0A0B0C0D, big.getInt(4), "both heaps share the buffer's bytes");
    }

    @Test
    void aFreshBufferIsBigEndianUnlessAnOrderIsGiven() {
        ByteBuffer fresh = ByteBuffer.allocate(8);
        assertEquals(ByteOrder.BIG_ENDIAN, RawHeaps.wrap(fresh).order());
        assertEquals(ByteOrder.LITTLE_ENDIAN, RawHeaps.wrap(fresh, ByteOrder.LITTLE_ENDIAN).order());
        assertEquals(ByteOrder.LITTLE_ENDIAN, RawHeaps.allocate(8).order(), "the other factories: little-endian");
    }

    @Test
    void aWritableBufferGivesAWritableHeap() {
        assertFalse(RawHeaps.wrap(ByteBuffer.allocate(8)).isReadOnly());
        assertFalse(RawHeaps.wrap(ByteBuffer.allocateDirect(8), ByteOrder.LITTLE_ENDIAN).isReadOnly());
    }

    @Test
    void anEmptyRemainderGivesAnEmptyHeap() {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        buffer.position(8);
        RawHeap heap = RawHeaps.wrap(buffer);
        assertEquals(0, heap.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getByte(0));
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void aReadOnlyBufferGivesAHeapThatReadsAndRefusesEveryWrite(boolean direct) {
        ByteBuffer source = numbered(direct, 16).order(ByteOrder.LITTLE_ENDIAN);
        source.position(4);
        RawHeap heap = RawHeaps.wrap(source.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        assertEquals(12, heap.capacity());
        assertEquals(0x07060504, heap.getInt(0));
        assertEquals(0x0F0E0D0C0B0A0908L, heap.getLong(4));
        byte[] dst = new byte[12];
        heap.getBytes(0, dst, 0, 12);
        assertEquals(15, dst[11]);

        assertTrue(heap.isReadOnly());
        String name = (direct ? "direct ByteBuffer heap" : "ByteBuffer heap") + " of 12 bytes, LITTLE_ENDIAN";
        assertEquals(name + " is read-only: a write of 1 byte(s) at offset 0 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.putByte(0, (byte) 1)).getMessage());
        assertEquals(name + " is read-only: a write of 4 byte(s) at offset 4 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.putInt(4, 1)).getMessage());
        assertEquals(name + " is read-only: a write of 8 byte(s) at offset 1 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.putLong(1, 1L)).getMessage());
        assertEquals(name + " is read-only: a write of 4 byte(s) at offset 0 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.putBytes(0, new byte[4], 0, 4)).getMessage());
        assertEquals(name + " is read-only: a write of 12 byte(s) at offset 0 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.fill(0, 12, (byte) 1)).getMessage());
        assertEquals(name + " is read-only: a write of 3 byte(s) at offset 8 was refused",
                assertThrows(ReadOnlyBufferException.class, () -> heap.copy(0, 8, 3)).getMessage());
        assertTrue(heap.asByteBuffer(2, 4).isReadOnly(), "the views of a read-only heap are read-only");
        // bounds come first: an access outside the heap is an IndexOutOfBoundsException, read-only or not
        assertThrows(IndexOutOfBoundsException.class, () -> heap.putInt(9, 1));

        source.clear();
        byte[] all = new byte[16];
        source.get(all);
        assertArrayEquals(numbered(false, 16).array(), all, "no write reached the buffer");
    }

    @Test
    void nullIsRefused() {
        assertThrows(NullPointerException.class, () -> RawHeaps.wrap((ByteBuffer) null));
        assertThrows(NullPointerException.class, () -> RawHeaps.wrap((ByteBuffer) null, ByteOrder.LITTLE_ENDIAN));
        assertThrows(NullPointerException.class, () -> RawHeaps.wrap(ByteBuffer.allocate(4), null));
        assertThrows(NullPointerException.class, () -> RawHeaps.wrap((byte[]) null));
        assertThrows(NullPointerException.class, () -> RawHeaps.wrap(new byte[4], null));
        assertThrows(NullPointerException.class, () -> RawHeaps.allocate(4, null));
        assertThrows(NullPointerException.class, () -> RawHeaps.allocateDirect(4, null));
    }

    @Test
    void negativeCapacitiesAreRefusedNamingTheValue() {
        assertEquals("capacity -1 is negative",
                assertThrows(IllegalArgumentException.class, () -> RawHeaps.allocate(-1)).getMessage());
        assertEquals("capacity -5 is negative", assertThrows(IllegalArgumentException.class,
                () -> RawHeaps.allocate(-5, ByteOrder.BIG_ENDIAN)).getMessage());
        assertEquals("capacity -1 is negative",
                assertThrows(IllegalArgumentException.class, () -> RawHeaps.allocateDirect(-1)).getMessage());
        assertEquals("capacity " + Integer.MIN_VALUE + " is negative", assertThrows(IllegalArgumentException.class,
                () -> RawHeaps.allocateDirect(Integer.MIN_VALUE, ByteOrder.LITTLE_ENDIAN)).getMessage());
    }

    @Test
    void wrappingAnArrayUsesTheArrayItself() {
        byte[] bytes = new byte[8];
        RawHeap heap = RawHeaps.wrap(bytes);
        heap.putInt(2, 0xCAFEBABE);
        assertArrayEquals(new byte[] {0, 0, (byte) 0xBE, (byte) 0xBA, (byte) 0xFE, (byte) 0xCA, 0, 0}, bytes);
        bytes[7] = 42;
        assertEquals(42, heap.getByte(7));
    }
}
