package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.RawHeap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A heap that passes every access on to another heap through {@link RawHeap}. Wrapped around the standard
 * heaps, it takes {@link io.github.emballoc.api.image.HeaderAccess}'s specialisation away: an allocator over it
 * reads every header with an interface call to {@code RawHeap.getInt}, made from one call site
 * ({@link #getInt(int)}'s) for every heap class the program wraps, which is how this project's allocators read
 * headers before {@code HeaderAccess}. The megamorphic benchmark's "before".
 *
 * <p>Threads: as the wrapped heap's.
 */
public final class ForwardingHeap implements RawHeap {

    private final RawHeap heap;

    /**
     * Wraps a heap.
     *
     * @param heap the heap every access goes to
     */
    public ForwardingHeap(RawHeap heap) {
        this.heap = heap;
    }

    @Override
    public int capacity() {
        return heap.capacity();
    }

    @Override
    public ByteOrder order() {
        return heap.order();
    }

    @Override
    public byte getByte(int offset) {
        return heap.getByte(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        heap.putByte(offset, value);
    }

    @Override
    public int getInt(int offset) {
        return heap.getInt(offset);
    }

    @Override
    public void putInt(int offset, int value) {
        heap.putInt(offset, value);
    }

    @Override
    public long getLong(int offset) {
        return heap.getLong(offset);
    }

    @Override
    public void putLong(int offset, long value) {
        heap.putLong(offset, value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        heap.getBytes(offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        heap.putBytes(offset, src, srcOffset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        heap.fill(offset, length, value);
    }

    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        heap.copy(srcOffset, dstOffset, length);
    }

    @Override
    public ByteBuffer asByteBuffer(int offset, int length) {
        return heap.asByteBuffer(offset, length);
    }

    @Override
    public boolean isReadOnly() {
        return heap.isReadOnly();
    }

    @Override
    public void force() {
        heap.force();
    }

    @Override
    public String toString() {
        return "ForwardingHeap[" + heap + "]";
    }
}
