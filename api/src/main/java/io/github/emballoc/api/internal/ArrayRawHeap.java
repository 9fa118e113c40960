package io.github.emballoc.api.internal;

import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A heap over a {@code byte[]}. Multi-byte values go through {@code static final} byte-array view
 * {@link VarHandle}s (one per width and order, so the JIT sees constants), which read and write at any
 * offset without allocating.
 *
 * <p>Internal: made by {@code RawHeaps}; public only so that the project's allocators can reach the array
 * through {@link io.github.emballoc.api.image.HeaderAccess}. This package is exported to no module.
 *
 * <p>Threads: as {@link RawHeap}: plain memory, no synchronisation of its own.
 */
public final class ArrayRawHeap implements RawHeap {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final boolean bigEndian;

    /**
     * Makes a heap over {@code bytes} (not a copy).
     *
     * @param bytes the array; its length is the capacity
     * @param order the byte order of multi-byte values
     */
    public ArrayRawHeap(byte[] bytes, ByteOrder order) {
        this.bytes = bytes;
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
    }

    /**
     * Returns the array this heap reads and writes.
     *
     * @return the array itself, not a copy
     */
    public byte[] array() {
        return bytes;
    }

    @Override
    public int capacity() {
        return bytes.length;
    }

    @Override
    public ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public byte getByte(int offset) {
        HeapBounds.check(offset, 1, bytes.length);
        return bytes[offset];
    }

    @Override
    public void putByte(int offset, byte value) {
        HeapBounds.check(offset, 1, bytes.length);
        bytes[offset] = value;
    }

    @Override
    public int getInt(int offset) {
        HeapBounds.check(offset, Integer.BYTES, bytes.length);
        return bigEndian ? (int) INT_BE.get(bytes, offset) : (int) INT_LE.get(bytes, offset);
    }

    @Override
    public void putInt(int offset, int value) {
        HeapBounds.check(offset, Integer.BYTES, bytes.length);
        if (bigEndian) {
            INT_BE.set(bytes, offset, value);
        } else {
            INT_LE.set(bytes, offset, value);
        }
    }

    @Override
    public long getLong(int offset) {
        HeapBounds.check(offset, Long.BYTES, bytes.length);
        return bigEndian ? (long) LONG_BE.get(bytes, offset) : (long) LONG_LE.get(bytes, offset);
    }

    @Override
    public void putLong(int offset, long value) {
        HeapBounds.check(offset, Long.BYTES, bytes.length);
        if (bigEndian) {
            LONG_BE.set(bytes, offset, value);
        } else {
            LONG_LE.set(bytes, offset, value);
        }
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        HeapBounds.check(offset, length, bytes.length);
        HeapBounds.checkArray(dstOffset, length, dst.length);
        System.arraycopy(bytes, offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        HeapBounds.check(offset, length, bytes.length);
        HeapBounds.checkArray(srcOffset, length, src.length);
        System.arraycopy(src, srcOffset, bytes, offset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, bytes.length);
        Arrays.fill(bytes, offset, offset + length, value);
    }

    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        HeapBounds.check(srcOffset, length, bytes.length);
        HeapBounds.check(dstOffset, length, bytes.length);
        System.arraycopy(bytes, srcOffset, bytes, dstOffset, length);
    }

    @Override
    public ByteBuffer asByteBuffer(int offset, int length) {
        HeapBounds.check(offset, length, bytes.length);
        return ByteBuffer.wrap(bytes, offset, length).slice().order(order());
    }

    @Override
    public String toString() {
        return "byte[] heap of " + bytes.length + " bytes, " + order();
    }
}
