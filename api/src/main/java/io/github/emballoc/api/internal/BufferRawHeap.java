package io.github.emballoc.api.internal;

import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * A heap over a {@link ByteBuffer} (heap, direct or memory-mapped) whose position is 0, whose limit is its
 * capacity and whose order is the heap's. Only absolute accessors are used, so the buffer's position and
 * limit never move and no view objects are made per access.
 *
 * <p>A read-only buffer gives a read-only heap: every write inside the bounds throws the
 * {@link java.nio.ReadOnlyBufferException} of {@link HeapBounds#readOnly(Object, int, int)}, which names the heap
 * and the write, before touching a byte (the buffer's own exception has no message).
 *
 * <p>Internal: made by {@code RawHeaps}; public only so that the project's allocators can reach the buffer
 * through {@link io.github.emballoc.api.image.HeaderAccess}. This package is exported to no module.
 *
 * <p>Threads: as {@link RawHeap}: plain memory, no synchronisation of its own.
 */
public final class BufferRawHeap implements RawHeap {

    private final ByteBuffer buffer;
    private final int capacity;
    private final String description;
    private final boolean readOnly;

    /**
     * Makes a heap over {@code buffer}, which must have position 0, limit = capacity, and the heap's order.
     *
     * @param buffer the buffer, used as it is (not duplicated)
     * @param description what {@link #toString()} starts with, for example "direct ByteBuffer heap"
     */
    public BufferRawHeap(ByteBuffer buffer, String description) {
        this.buffer = buffer;
        this.capacity = buffer.capacity();
        this.description = description;
        this.readOnly = buffer.isReadOnly();
    }

    /**
     * Returns the buffer this heap reads and writes.
     *
     * @return the buffer itself; its position and limit must not be moved
     */
    public ByteBuffer buffer() {
        return buffer;
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
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, 1);
        }
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
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, Integer.BYTES);
        }
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
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, Long.BYTES);
        }
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
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, length);
        }
        buffer.put(offset, src, srcOffset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, length);
        }
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
    public void copy(int srcOffset, int dstOffset, int length) {
        HeapBounds.check(srcOffset, length, capacity);
        HeapBounds.check(dstOffset, length, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, dstOffset, length);
        }
        buffer.put(dstOffset, buffer, srcOffset, length);
    }

    @Override
    public ByteBuffer asByteBuffer(int offset, int length) {
        HeapBounds.check(offset, length, capacity);
        return buffer.slice(offset, length).order(buffer.order());
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
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
