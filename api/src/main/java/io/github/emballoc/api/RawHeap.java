package io.github.emballoc.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fixed-size region of bytes that an {@link Allocator} manages: a {@code byte[]}, a heap or direct
 * {@link java.nio.ByteBuffer}, a memory-mapped file, or anything else a user implements.
 *
 * <p>Offsets are relative to the start of the region and run from {@code 0} to {@code capacity() - 1}.
 * Multi-byte values are read and written in {@link #order()}, at any offset (no alignment is required).
 *
 * <h2>Promises every implementation keeps</h2>
 * <ol>
 *   <li>The capacity never changes.</li>
 *   <li>Every access that touches a byte outside {@code [0, capacity())} throws
 *       {@link IndexOutOfBoundsException} whose message names the offset, the length and the capacity, and
 *       touches nothing: no access is ever silently clipped or wrapped.</li>
 *   <li>A value written at an offset is read back unchanged at that offset, in {@link #order()}.</li>
 *   <li>Single-value accesses ({@code get/put} of a byte, int or long) allocate no objects.</li>
 * </ol>
 * The {@code emballoc-testkit} artifact checks these promises for any implementation
 * ({@code RawHeapContract}).
 *
 * <h2>Threads</h2>
 * A heap is plain memory: accesses have no ordering or atomicity guarantees beyond those of ordinary
 * (non-volatile) Java field accesses, and concurrent writes of the same bytes race. An {@link Allocator}
 * serialises its own accesses in its {@link CriticalSection}; the owner of a block may read and write its
 * payload from any thread that has a happens-before edge with the allocation (for example the thread that
 * allocated it).
 */
public interface RawHeap {

    /**
     * Returns the size of the region in bytes.
     *
     * @return the capacity, never negative, never changing
     */
    int capacity();

    /**
     * Returns the byte order of multi-byte values ({@code getInt}, {@code putLong}, ...).
     *
     * @return the byte order, never {@code null}, never changing
     */
    ByteOrder order();

    /**
     * Reads one byte.
     *
     * @param offset the offset of the byte
     * @return the byte at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset} is outside {@code [0, capacity())}
     */
    byte getByte(int offset);

    /**
     * Writes one byte.
     *
     * @param offset the offset of the byte
     * @param value the value to write
     * @throws IndexOutOfBoundsException if {@code offset} is outside {@code [0, capacity())}
     */
    void putByte(int offset, byte value);

    /**
     * Reads a 32-bit value in {@link #order()}.
     *
     * @param offset the offset of the first of its four bytes
     * @return the value
     * @throws IndexOutOfBoundsException if any of the bytes {@code [offset, offset + 4)} is outside the heap
     */
    int getInt(int offset);

    /**
     * Writes a 32-bit value in {@link #order()}.
     *
     * @param offset the offset of the first of its four bytes
     * @param value the value to write
     * @throws IndexOutOfBoundsException if any of the bytes {@code [offset, offset + 4)} is outside the heap
     */
    void putInt(int offset, int value);

    /**
     * Reads a 64-bit value in {@link #order()}.
     *
     * @param offset the offset of the first of its eight bytes
     * @return the value
     * @throws IndexOutOfBoundsException if any of the bytes {@code [offset, offset + 8)} is outside the heap
     */
    long getLong(int offset);

    /**
     * Writes a 64-bit value in {@link #order()}.
     *
     * @param offset the offset of the first of its eight bytes
     * @param value the value to write
     * @throws IndexOutOfBoundsException if any of the bytes {@code [offset, offset + 8)} is outside the heap
     */
    void putLong(int offset, long value);

    /**
     * Copies {@code length} bytes of the heap, starting at {@code offset}, into {@code dst}.
     *
     * @param offset the heap offset of the first byte to read
     * @param dst the array to copy into
     * @param dstOffset the index in {@code dst} of the first byte written
     * @param length how many bytes to copy
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is outside the heap or
     *     {@code [dstOffset, dstOffset + length)} is outside {@code dst}; nothing is copied then
     * @throws NullPointerException if {@code dst} is {@code null}
     */
    void getBytes(int offset, byte[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} bytes of {@code src} into the heap, starting at {@code offset}.
     *
     * @param offset the heap offset of the first byte to write
     * @param src the array to copy from
     * @param srcOffset the index in {@code src} of the first byte read
     * @param length how many bytes to copy
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is outside the heap or
     *     {@code [srcOffset, srcOffset + length)} is outside {@code src}; nothing is copied then
     * @throws NullPointerException if {@code src} is {@code null}
     */
    void putBytes(int offset, byte[] src, int srcOffset, int length);

    /**
     * Sets {@code length} bytes, starting at {@code offset}, to {@code value}.
     *
     * @param offset the offset of the first byte to set
     * @param length how many bytes to set
     * @param value the value every byte gets
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is outside the heap; nothing is
     *     written then
     */
    void fill(int offset, int length, byte value);

    /**
     * Copies {@code length} bytes of the heap from {@code srcOffset} to {@code dstOffset}. The ranges may
     * overlap: the result is as if the source were first copied to a temporary array (like
     * {@link System#arraycopy}). Allocates no objects.
     *
     * <p>The default implementation moves eight bytes at a time through {@link #getLong(int)} and
     * {@link #putLong(int, long)} (and single bytes at the ends), in the direction that is safe for overlap;
     * heaps that can do better (the standard heaps do) override it.
     *
     * @param srcOffset the offset of the first byte to read
     * @param dstOffset the offset of the first byte to write
     * @param length how many bytes to copy, 0 or more
     * @throws IndexOutOfBoundsException if either range is outside the heap or {@code length} is negative;
     *     nothing is written then
     */
    default void copy(int srcOffset, int dstOffset, int length) {
        HeapBounds.check(srcOffset, length, capacity());
        HeapBounds.check(dstOffset, length, capacity());
        if (srcOffset == dstOffset || length == 0) {
            return;
        }
        if (dstOffset < srcOffset || dstOffset >= srcOffset + length) {
            int i = 0;
            for (; i <= length - Long.BYTES; i += Long.BYTES) {
                putLong(dstOffset + i, getLong(srcOffset + i));
            }
            for (; i < length; i++) {
                putByte(dstOffset + i, getByte(srcOffset + i));
            }
        } else {
            int i = length;
            for (; i >= Long.BYTES; i -= Long.BYTES) {
                putLong(dstOffset + i - Long.BYTES, getLong(srcOffset + i - Long.BYTES));
            }
            for (; i > 0; i--) {
                putByte(dstOffset + i - 1, getByte(srcOffset + i - 1));
            }
        }
    }

    /**
     * Returns a {@link ByteBuffer} over {@code length} bytes of the heap from {@code offset}: its position is 0,
     * its limit and capacity are {@code length}, its order is {@link #order()}, and it shares the heap's bytes
     * (a write through either is seen by the other). An access past its limit throws
     * ({@link java.nio.BufferOverflowException}, {@link java.nio.BufferUnderflowException} or
     * {@link IndexOutOfBoundsException}) instead of reaching the bytes after it. The view of a read-only heap
     * is read-only. Each call makes one new buffer object.
     *
     * <p>The standard heaps give views; the default implementation, for heaps that cannot, checks the bounds
     * and throws {@link UnsupportedOperationException}.
     *
     * <p>Threads: the view is a plain {@link ByteBuffer}; its position and limit belong to the caller, its
     * bytes follow the thread rules of this heap.
     *
     * @param offset the heap offset of the view's first byte
     * @param length the view's size in bytes
     * @return the view
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is outside the heap
     * @throws UnsupportedOperationException if this heap cannot give views (the message names the heap)
     */
    default ByteBuffer asByteBuffer(int offset, int length) {
        HeapBounds.check(offset, length, capacity());
        throw new UnsupportedOperationException(this + " gives no ByteBuffer views");
    }

    /**
     * Tells whether this heap refuses writes. An allocator needs to write headers, so building one on a
     * read-only heap fails; a read-only heap can still be checked and walked (for example by
     * {@link io.github.emballoc.api.image.HeapImage#walk(RawHeap, EntryVisitor)}).
     *
     * @return {@code true} if every {@code put}, {@code fill} and {@code copy} throws
     *     {@link java.nio.ReadOnlyBufferException}; the default is {@code false}
     */
    default boolean isReadOnly() {
        return false;
    }

    /**
     * Makes writes durable where the heap is backed by storage (a memory-mapped file writes its changes to
     * the file). For heaps in memory this does nothing, which is the default.
     *
     * <p>Threads: call it when no other thread writes the heap, or accept that concurrent writes may or may
     * not be included.
     */
    default void force() {
        // memory-only heaps have nothing to write back
    }
}
