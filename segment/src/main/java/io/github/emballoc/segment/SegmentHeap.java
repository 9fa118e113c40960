package io.github.emballoc.segment;

import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link RawHeap} over a {@link MemorySegment}: native memory from any {@link Arena}, a file mapped with
 * {@link java.nio.channels.FileChannel#map(java.nio.channels.FileChannel.MapMode, long, long, Arena)}, or a
 * heap segment over a {@code byte[]}. Made by {@link SegmentHeaps}.
 *
 * <p>Every access checks the heap's bounds first (an {@link IndexOutOfBoundsException} naming offset, length
 * and capacity, as every standard heap does), then goes through the segment, which the JDK checks again
 * against its own bounds, its arena's liveness and its owner thread. So no access can reach memory the heap
 * does not own, before or after its arena is closed:
 * <ul>
 *   <li>after the arena is closed, every access throws {@link IllegalStateException} ("heap closed", naming
 *       the heap), never a JVM crash;</li>
 *   <li>a segment of a <b>confined</b> arena ({@link Arena#ofConfined()}) can be used by the thread that made
 *       the arena only: an access from any other thread throws {@link WrongThreadException}, with a message
 *       that names the owner and says to use a shared arena. An allocator over it is therefore usable from
 *       that one thread only, whatever its critical section admits; an operation from another thread fails
 *       at its first header read, before it writes anything, and leaves the heap as it was. For an allocator
 *       shared between threads, use {@link Arena#ofShared()}, {@link Arena#ofAuto()} or
 *       {@link Arena#global()};</li>
 *   <li>a read-only segment ({@link MemorySegment#asReadOnly()}) gives a read-only heap: every write throws
 *       a {@link java.nio.ReadOnlyBufferException} naming the heap and the write, and an allocator refuses to
 *       be built on it.</li>
 * </ul>
 *
 * <p>Multi-byte values go through {@code static final} unaligned value layouts (one per width and order), so
 * single-value accesses allocate nothing. {@link #asSegment(int, int)} gives a bounded slice.
 *
 * <p>Threads: as {@link RawHeap}: plain memory, no synchronisation of its own, within the access rules of the
 * segment's arena.
 */
public final class SegmentHeap implements RawHeap {

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment segment;
    private final int capacity;
    private final boolean bigEndian;
    private final boolean readOnly;

    SegmentHeap(MemorySegment segment, ByteOrder order) {
        this.segment = segment;
        this.capacity = (int) segment.byteSize();
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
        this.readOnly = segment.isReadOnly();
    }

    /**
     * Returns the segment this heap reads and writes.
     *
     * @return the segment itself
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * Returns a slice of the heap: a {@link MemorySegment} of exactly {@code length} bytes from
     * {@code offset}, sharing the heap's memory, in the same arena (it is unusable once the arena is closed),
     * read-only if the heap is. An access past its end throws {@link IndexOutOfBoundsException} instead of
     * reaching the bytes after it. Multi-byte accesses through it use the layout the caller passes, so pass
     * {@code order()}'s (see {@link SegmentHeaps#view(io.github.emballoc.api.Allocator, int)}).
     *
     * @param offset the heap offset of the slice's first byte
     * @param length the slice's size in bytes
     * @return the slice
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is outside the heap
     * @throws IllegalStateException if the arena is closed
     */
    public MemorySegment asSegment(int offset, int length) {
        HeapBounds.check(offset, length, capacity);
        checkAlive();
        try {
            return segment.asSlice(offset, length);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public byte getByte(int offset) {
        HeapBounds.check(offset, 1, capacity);
        try {
            return segment.get(ValueLayout.JAVA_BYTE, offset);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void putByte(int offset, byte value) {
        HeapBounds.check(offset, 1, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, 1);
        }
        try {
            segment.set(ValueLayout.JAVA_BYTE, offset, value);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public int getInt(int offset) {
        HeapBounds.check(offset, Integer.BYTES, capacity);
        try {
            return bigEndian ? segment.get(INT_BE, offset) : segment.get(INT_LE, offset);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void putInt(int offset, int value) {
        HeapBounds.check(offset, Integer.BYTES, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, Integer.BYTES);
        }
        try {
            if (bigEndian) {
                segment.set(INT_BE, offset, value);
            } else {
                segment.set(INT_LE, offset, value);
            }
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public long getLong(int offset) {
        HeapBounds.check(offset, Long.BYTES, capacity);
        try {
            return bigEndian ? segment.get(LONG_BE, offset) : segment.get(LONG_LE, offset);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void putLong(int offset, long value) {
        HeapBounds.check(offset, Long.BYTES, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, Long.BYTES);
        }
        try {
            if (bigEndian) {
                segment.set(LONG_BE, offset, value);
            } else {
                segment.set(LONG_LE, offset, value);
            }
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(dstOffset, length, dst.length);
        try {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        HeapBounds.check(offset, length, capacity);
        HeapBounds.checkArray(srcOffset, length, src.length);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, length);
        }
        try {
            MemorySegment.copy(src, srcOffset, segment, ValueLayout.JAVA_BYTE, offset, length);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public void fill(int offset, int length, byte value) {
        HeapBounds.check(offset, length, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, offset, length);
        }
        try {
            segment.asSlice(offset, length).fill(value);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@link MemorySegment#copy(MemorySegment, long, MemorySegment, long, long)}, which copies
     * overlapping ranges as if through a temporary segment.
     */
    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        HeapBounds.check(srcOffset, length, capacity);
        HeapBounds.check(dstOffset, length, capacity);
        if (readOnly) {
            throw HeapBounds.readOnly(this, dstOffset, length);
        }
        try {
            MemorySegment.copy(segment, srcOffset, segment, dstOffset, length);
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The buffer is the slice's {@link MemorySegment#asByteBuffer()}: it belongs to the arena too, and its
     * accesses throw {@link IllegalStateException} once the arena is closed.
     *
     * @throws UnsupportedOperationException if the segment cannot be seen as a {@link ByteBuffer} (a heap
     *     segment over an array other than {@code byte[]})
     */
    @Override
    public ByteBuffer asByteBuffer(int offset, int length) {
        HeapBounds.check(offset, length, capacity);
        checkAlive();
        try {
            return segment.asSlice(offset, length).asByteBuffer().order(order());
        } catch (IllegalStateException | WrongThreadException e) {
            throw refused(e);
        }
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Writes the changes of a mapped file segment back to the storage device ({@link MemorySegment#force()});
     * does nothing for other segments.
     *
     * @throws IllegalStateException if the arena is closed
     */
    @Override
    public void force() {
        if (segment.isMapped() && !readOnly) {
            try {
                segment.force();
            } catch (IllegalStateException | WrongThreadException e) {
                throw refused(e);
            }
        }
    }

    /** Slicing is no access, so the segment lets it pass a closed arena: views are refused here instead. */
    private void checkAlive() {
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("heap closed: " + this + " (its arena was closed)");
        }
    }

    /**
     * Makes the exception for an access the segment refused: its arena is closed, or the access came from a
     * thread that is not the owner of a confined arena.
     */
    private RuntimeException refused(RuntimeException cause) {
        if (cause instanceof WrongThreadException) {
            return new WrongThreadException(this + " belongs to a confined arena and was used from thread "
                    + Thread.currentThread().getName() + ", which is not the arena's owner: a confined arena's heap"
                    + " serves its owner thread only (use Arena.ofShared() for an allocator shared between threads)",
                    cause);
        }
        if (!segment.scope().isAlive()) {
            return new IllegalStateException("heap closed: " + this + " (its arena was closed)", cause);
        }
        return cause; // not the arena's doing: passed on as the segment threw it
    }

    @Override
    public String toString() {
        String kind = segment.isMapped() ? "mapped file segment heap"
                : segment.isNative() ? "native segment heap" : "array segment heap";
        return kind + " of " + capacity + " bytes, " + order();
    }
}
