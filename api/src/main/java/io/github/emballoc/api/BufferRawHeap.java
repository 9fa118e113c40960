package io.github.emballoc.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * A heap over a {@link ByteBuffer} (heap, direct or memory-mapped) whose position is 0, whose limit is its
 * capacity and whose order is the heap's. Only absolute accessors are used, so the buffer's position and
 * limit never move and no view objects are made per access.
 *
 * <p>Threads: as {@link RawHeap}: plain memory, no synchronisation of its own.
 */
final class BufferRawHeap implements RawHeap {

    private final ByteBuffer buffer;
    private final int capacity;
    private final String description;

    BufferRawHeap(ByteBuffer buffer, String description) {
        this.buffer = buffer;
        this.capacity = buffer.capacity();
        this.description = description;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteOrder order() {
        return buffer.order();
    }

    @Override
    public byte getByte(int offset) {
        HeapBounds.check(offset, 1, capacity);
        return buffer.get(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        HeapBounds.check(offset, 1, capacity);
        buffer.put(offset, value);
    }

    @Override
    public int getInt(int offset) {
        HeapBounds.check(offset, Integer.BYTES, capacity);
        return buffer.getInt(offset);
    }

    @Override
    public void putInt(int offset, int value) {
        HeapBounds.check(offset, Integer.BYTES, capacity);
        buffer.putInt(offset, value);
    }

    @Override
    public long getLong(int offset) {
        HeapBounds.check(offset, Long.BYTES, capacity);
        return buffer.getLong(offset);
    }

    @Override
    public void putLong(int offset, long value) {
        HeapBounds.check(offset, Long.BYTES, capacity);
        buffer.putLong(offset, value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(dstOffset, length, dst.length);
        buffer.get(offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(srcOffset, length, src.length);
        buffer.put(offset, src, srcOffset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, capacity);
        int end = offset + length;
        int i = offset;
        long word = (value & 0xFFL) * 0x0101010101010101L;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            buffer.putLong(i, word);
        }
        for (; i < end; i++) {
            buffer.put(i, value);
        }
    }

    @Override
    public void force() {
        if (buffer instanceof MappedByteBuffer) {
            ((MappedByteBuffer) buffer).force();
        }
    }

    @Override
    public String toString() {
        return description + " of " + capacity + " bytes, " + order();
    }
}
