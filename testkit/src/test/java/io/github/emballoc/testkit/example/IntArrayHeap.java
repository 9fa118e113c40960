package io.github.emballoc.testkit.example;

import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;
import java.nio.ByteOrder;

/**
 * A user's own heap: bytes kept four to an {@code int} (for example memory shared with code that works in
 * words). Byte {@code i} lives in bits {@code 8 * (i % 4)} of {@code words[i / 4]}; multi-byte values are
 * composed from bytes in the heap's order. This is the example of the README's "Test your own heap".
 */
public final class IntArrayHeap implements RawHeap {
    private final int[] words;
    private final int capacity;
    private final ByteOrder order;

    /**
     * Makes a zeroed heap.
     *
     * @param capacity the size in bytes, a multiple of 4
     * @param order the byte order of multi-byte values
     */
    public IntArrayHeap(int capacity, ByteOrder order) {
        if (capacity < 0 || capacity % 4 != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a non-negative multiple of 4");
        }
        this.words = new int[capacity / 4];
        this.capacity = capacity;
        this.order = order;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteOrder order() {
        return order;
    }

    private int byteAt(int offset) {
        return (words[offset >>> 2] >>> ((offset & 3) << 3)) & 0xFF;
    }

    private void setByte(int offset, int value) {
        int shift = (offset & 3) << 3;
        int index = offset >>> 2;
        words[index] = (words[index] & ~(0xFF << shift)) | ((value & 0xFF) << shift);
    }

    private long read(int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            int b = byteAt(offset + (order == ByteOrder.BIG_ENDIAN ? i : length - 1 - i));
            value = (value << 8) | b;
        }
        return value;
    }

    private void write(int offset, int length, long value) {
        for (int i = 0; i < length; i++) {
            int shift = 8 * (order == ByteOrder.BIG_ENDIAN ? length - 1 - i : i);
            setByte(offset + i, (int) (value >>> shift));
        }
    }

    @Override
    public byte getByte(int offset) {
        HeapBounds.check(offset, 1, capacity);
        return (byte) byteAt(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        HeapBounds.check(offset, 1, capacity);
        setByte(offset, value);
    }

    @Override
    public int getInt(int offset) {
        HeapBounds.check(offset, 4, capacity);
        return (int) read(offset, 4);
    }

    @Override
    public void putInt(int offset, int value) {
        HeapBounds.check(offset, 4, capacity);
        write(offset, 4, value);
    }

    @Override
    public long getLong(int offset) {
        HeapBounds.check(offset, 8, capacity);
        return read(offset, 8);
    }

    @Override
    public void putLong(int offset, long value) {
        HeapBounds.check(offset, 8, capacity);
        write(offset, 8, value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(dstOffset, length, dst.length);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (byte) byteAt(offset + i);
        }
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(srcOffset, length, src.length);
        for (int i = 0; i < length; i++) {
            setByte(offset + i, src[srcOffset + i]);
        }
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, capacity);
        for (int i = 0; i < length; i++) {
            setByte(offset + i, value);
        }
    }
}
