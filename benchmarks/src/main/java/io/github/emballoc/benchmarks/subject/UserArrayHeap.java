package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A heap a user writes: little-endian over a {@code byte[]}, as the standard one is, but a class of its own,
 * which {@link io.github.emballoc.api.image.HeaderAccess} does not know and so reaches through {@link RawHeap}.
 * The megamorphic benchmark loads and uses it as the third heap class of the JVM.
 *
 * <p>Threads: as {@link RawHeap}'s.
 */
public final class UserArrayHeap implements RawHeap {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;

    /**
     * Makes a zeroed heap.
     *
     * @param capacity its size in bytes
     * @throws NegativeArraySizeException if {@code capacity} is negative
     */
    public UserArrayHeap(int capacity) {
        this.bytes = new byte[capacity];
    }

    @Override
    public int capacity() {
        return bytes.length;
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public byte getByte(int offset) {
        HeapBounds.check(offset, Byte.BYTES, bytes.length);
        return bytes[offset];
    }

    @Override
    public void putByte(int offset, byte value) {
        HeapBounds.check(offset, Byte.BYTES, bytes.length);
        bytes[offset] = value;
    }

    @Override
    public int getInt(int offset) {
        HeapBounds.check(offset, Integer.BYTES, bytes.length);
        return (int) INT.get(bytes, offset);
    }

    @Override
    public void putInt(int offset, int value) {
        HeapBounds.check(offset, Integer.BYTES, bytes.length);
        INT.set(bytes, offset, value);
    }

    @Override
    public long getLong(int offset) {
        HeapBounds.check(offset, Long.BYTES, bytes.length);
        return (long) LONG.get(bytes, offset);
    }

    @Override
    public void putLong(int offset, long value) {
        HeapBounds.check(offset, Long.BYTES, bytes.length);
        LONG.set(bytes, offset, value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        HeapBounds.check(offset, length, bytes.length);
        HeapBounds.check(dstOffset, length, dst.length);
        System.arraycopy(bytes, offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        HeapBounds.check(offset, length, bytes.length);
        HeapBounds.check(srcOffset, length, src.length);
        System.arraycopy(src, srcOffset, bytes, offset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, bytes.length);
        Arrays.fill(bytes, offset, offset + length, value);
    }

    @Override
    public String toString() {
        return "UserArrayHeap[" + bytes.length + " bytes]";
    }
}
