package io.github.emballoc.segment;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Heaps over {@link MemorySegment}s (the Foreign Function &amp; Memory API, final in JDK 22), and bounded
 * {@code MemorySegment} views of allocated blocks.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     SegmentHeap heap = SegmentHeaps.allocate(arena, 1 << 20);     // little-endian, zero-filled
 *     Allocator allocator = FirstFitAllocator.create(heap);
 *     int block = allocator.allocate(64, 8);
 *     MemorySegment bytes = SegmentHeaps.view(allocator, block, 64); // exactly the 64 bytes asked for
 *     bytes.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(heap.order()), 0, 42L);
 * }                                                                   // any later access: IllegalStateException
 * }</pre>
 *
 * <p>The arena decides who may use the heap and for how long: {@link SegmentHeap} says what happens after the
 * arena is closed ({@link IllegalStateException}) and from another thread than a confined arena's owner
 * ({@link WrongThreadException}).
 *
 * <p>Stateless; every method may be called from any thread. Little-endian unless told otherwise.
 */
public final class SegmentHeaps {

    private SegmentHeaps() {
    }

    /**
     * Makes a little-endian heap over a segment. See {@link #wrap(MemorySegment, ByteOrder)}.
     *
     * @param segment the segment
     * @return the heap, of capacity {@code segment.byteSize()}
     * @throws IllegalArgumentException if the segment is larger than {@link Integer#MAX_VALUE} bytes
     * @throws NullPointerException if {@code segment} is {@code null}
     */
    public static SegmentHeap wrap(MemorySegment segment) {
        return wrap(segment, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a heap over the whole of a segment from any arena: native memory, a mapped file segment
     * ({@link java.nio.channels.FileChannel#map(java.nio.channels.FileChannel.MapMode, long, long, Arena)}), or
     * an array ({@link MemorySegment#ofArray(byte[])}). The heap reads and writes the segment itself; a
     * read-only segment gives a read-only heap. (A mapped file segment is not locked against a second writer:
     * {@code io.github.emballoc.api.RawHeaps.map} is the mapped heap that is.)
     *
     * @param segment the segment
     * @param order the byte order of multi-byte values
     * @return the heap, of capacity {@code segment.byteSize()}
     * @throws IllegalArgumentException if the segment is larger than {@link Integer#MAX_VALUE} bytes (the
     *     message names its size)
     * @throws NullPointerException if {@code segment} or {@code order} is {@code null}
     */
    public static SegmentHeap wrap(MemorySegment segment, ByteOrder order) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(order, "order");
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a segment of " + segment.byteSize() + " bytes is larger than a heap"
                    + " can be (" + Integer.MAX_VALUE + " bytes); wrap a slice of it (MemorySegment.asSlice)");
        }
        return new SegmentHeap(segment, order);
    }

    /**
     * Allocates a zero-filled little-endian heap of native memory from an arena. See
     * {@link #allocate(Arena, int, ByteOrder)}.
     *
     * @param arena the arena that owns the memory
     * @param capacity the size in bytes
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code arena} is {@code null}
     */
    public static SegmentHeap allocate(Arena arena, int capacity) {
        return allocate(arena, capacity, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Allocates a zero-filled heap of native memory from an arena, aligned to 8 bytes. The memory lives as long
     * as the arena: closing the arena frees it, and every later access throws {@link IllegalStateException}.
     *
     * @param arena the arena that owns the memory ({@link Arena#ofShared()} for an allocator shared between
     *     threads; {@link Arena#ofConfined()} confines the heap to the thread that made the arena)
     * @param capacity the size in bytes
     * @param order the byte order of multi-byte values
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the arena is closed
     * @throws NullPointerException if {@code arena} or {@code order} is {@code null}
     */
    public static SegmentHeap allocate(Arena arena, int capacity, ByteOrder order) {
        Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(order, "order");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        MemorySegment segment = arena.allocate(capacity, Long.BYTES);
        segment.fill((byte) 0);
        return new SegmentHeap(segment, order);
    }

    /**
     * Returns a bounded view of the block that holds {@code handle}: a {@link MemorySegment} of
     * {@link Allocator#usableSize(int)} bytes from {@code handle}, sharing the heap's memory, so that an access
     * past the block's end throws instead of overwriting the next header. Over a {@link SegmentHeap} it is a
     * slice of the heap's segment (same arena); over any heap that gives {@link java.nio.ByteBuffer} views it
     * is {@link MemorySegment#ofBuffer} of {@link Allocator#view(int)}. Read-only if the heap is.
     *
     * <p>Multi-byte accesses through a segment name their byte order in the layout: use
     * {@code layout.withOrder(allocator.heap().order())} to agree with the heap.
     *
     * @param allocator the allocator that owns the block
     * @param handle an offset inside the payload of a used block
     * @return the view
     * @throws io.github.emballoc.api.DoubleFreeException if the offset lies inside a free entry
     * @throws io.github.emballoc.api.InvalidFreeException if no entry holds the offset
     * @throws UnsupportedOperationException if the heap gives no views
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static MemorySegment view(Allocator allocator, int handle) {
        RawHeap heap = allocator.heap();
        if (heap instanceof SegmentHeap segmentHeap) {
            return segmentHeap.asSegment(handle, allocator.usableSize(handle));
        }
        return MemorySegment.ofBuffer(allocator.view(handle));
    }

    /**
     * Returns a bounded view of exactly {@code length} bytes from {@code handle} (for example the size the
     * block was allocated with), as {@link #view(Allocator, int)} does.
     *
     * @param allocator the allocator that owns the block
     * @param handle an offset inside the payload of a used block
     * @param length the view's size, from 0 to {@link Allocator#usableSize(int)}
     * @return the view
     * @throws IllegalArgumentException if {@code length} is negative or larger than the block's usable size
     *     (the message names both)
     * @throws io.github.emballoc.api.DoubleFreeException if the offset lies inside a free entry
     * @throws io.github.emballoc.api.InvalidFreeException if no entry holds the offset
     * @throws UnsupportedOperationException if the heap gives no views
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static MemorySegment view(Allocator allocator, int handle, int length) {
        RawHeap heap = allocator.heap();
        if (heap instanceof SegmentHeap segmentHeap) {
            int usable = allocator.usableSize(handle);
            if (length < 0 || length > usable) {
                throw new IllegalArgumentException("view of " + length + " bytes at " + handle
                        + " does not fit the block, which holds " + usable + " bytes from there");
            }
            return segmentHeap.asSegment(handle, length);
        }
        return MemorySegment.ofBuffer(allocator.view(handle, length));
    }
}
