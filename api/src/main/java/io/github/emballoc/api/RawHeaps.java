package io.github.emballoc.api;

import io.github.emballoc.api.internal.ArrayRawHeap;
import io.github.emballoc.api.internal.BufferRawHeap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The standard heaps: over a {@code byte[]}, over a heap or direct {@link ByteBuffer}, and over a
 * memory-mapped file ({@link MappedHeap}). All are little-endian unless a method is told otherwise (the one
 * exception: {@link #wrap(ByteBuffer)} keeps the buffer's order, and a new buffer is big-endian), check the
 * bounds of every access, and allocate nothing per single-value access.
 *
 * <p>Stateless; every method may be called from any thread. The heaps returned follow the thread rules of
 * {@link RawHeap}.
 */
public final class RawHeaps {

    private RawHeaps() {
    }

    /**
     * Makes a zero-filled little-endian heap over a new {@code byte[]}.
     *
     * @param capacity the size in bytes
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static RawHeap allocate(int capacity) {
        return allocate(capacity, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a zero-filled heap over a new {@code byte[]}.
     *
     * @param capacity the size in bytes
     * @param order the byte order of multi-byte values
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code order} is {@code null}
     */
    public static RawHeap allocate(int capacity, ByteOrder order) {
        checkCapacity(capacity);
        return new ArrayRawHeap(new byte[capacity], Objects.requireNonNull(order, "order"));
    }

    /**
     * Makes a little-endian heap over an existing array (an image, for example one dumped from a device).
     * The heap reads and writes the array itself, not a copy.
     *
     * @param bytes the array; its length is the capacity
     * @return the heap
     * @throws NullPointerException if {@code bytes} is {@code null}
     */
    public static RawHeap wrap(byte[] bytes) {
        return wrap(bytes, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a heap over an existing array. The heap reads and writes the array itself, not a copy.
     *
     * @param bytes the array; its length is the capacity
     * @param order the byte order of multi-byte values
     * @return the heap
     * @throws NullPointerException if {@code bytes} or {@code order} is {@code null}
     */
    public static RawHeap wrap(byte[] bytes, ByteOrder order) {
        return new ArrayRawHeap(Objects.requireNonNull(bytes, "bytes"), Objects.requireNonNull(order, "order"));
    }

    /**
     * Makes a heap over the bytes of a buffer from its position to its limit, <b>in the buffer's byte
     * order</b>.
     *
     * <p><b>Mind the order:</b> a new {@link ByteBuffer} is big-endian (Java's default), so
     * {@code wrap(ByteBuffer.allocate(n))} gives a <b>big-endian</b> heap, while every other factory of this
     * class gives a little-endian one unless told otherwise. That is this method's promise (the buffer's order
     * is part of the buffer); to choose the order regardless of the buffer, use
     * {@link #wrap(ByteBuffer, ByteOrder)}, for example {@code wrap(buffer, ByteOrder.LITTLE_ENDIAN)}.
     *
     * <p>The buffer may be a heap, direct or mapped buffer. The heap shares the buffer's content (not its
     * position or limit, which it never moves); later changes to the buffer's position, limit or order do not
     * affect the heap. A read-only buffer gives a read-only heap ({@link RawHeap#isReadOnly()}) whose writes
     * throw a {@link java.nio.ReadOnlyBufferException} naming the heap and the write; an allocator refuses to
     * be built on it.
     *
     * @param buffer the buffer
     * @return the heap, of capacity {@code buffer.remaining()}, in {@code buffer.order()}
     * @throws NullPointerException if {@code buffer} is {@code null}
     */
    public static RawHeap wrap(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return wrap(buffer, buffer.order());
    }

    /**
     * Makes a heap over the bytes of a buffer from its position to its limit, in the given byte order
     * (whatever the buffer's own order is; the buffer's order is not changed). Otherwise as
     * {@link #wrap(ByteBuffer)}: the content is shared, the position and limit are never moved, a read-only
     * buffer gives a read-only heap.
     *
     * @param buffer the buffer
     * @param order the byte order of multi-byte values
     * @return the heap, of capacity {@code buffer.remaining()}
     * @throws NullPointerException if {@code buffer} or {@code order} is {@code null}
     */
    public static RawHeap wrap(ByteBuffer buffer, ByteOrder order) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(order, "order");
        ByteBuffer view = buffer.slice().order(order);
        String kind = buffer.isDirect() ? "direct ByteBuffer heap" : "ByteBuffer heap";
        return new BufferRawHeap(view, kind);
    }

    /**
     * Makes a zero-filled little-endian heap outside the Java heap, over a direct {@link ByteBuffer}.
     *
     * @param capacity the size in bytes
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static RawHeap allocateDirect(int capacity) {
        return allocateDirect(capacity, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a zero-filled heap outside the Java heap, over a direct {@link ByteBuffer}.
     *
     * @param capacity the size in bytes
     * @param order the byte order of multi-byte values
     * @return the heap
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code order} is {@code null}
     */
    public static RawHeap allocateDirect(int capacity, ByteOrder order) {
        checkCapacity(capacity);
        Objects.requireNonNull(order, "order");
        return new BufferRawHeap(ByteBuffer.allocateDirect(capacity).order(order), "direct ByteBuffer heap");
    }

    /**
     * Maps a file as a little-endian heap, locked for this process. See {@link #map(Path, int, ByteOrder)}.
     *
     * @param file the file
     * @param capacity the size in bytes, which the file has or is created with
     * @return the heap; close it to release the file
     * @throws IOException if the file cannot be created, opened, locked or mapped
     * @throws HeapFileLockedException if another process or another {@link MappedHeap} of this JVM has the
     *     file open as a heap
     * @throws IllegalArgumentException if {@code capacity} is not one an allocator can use, or the file exists
     *     with another size
     * @throws NullPointerException if {@code file} is {@code null}
     */
    public static MappedHeap map(Path file, int capacity) throws IOException {
        return map(file, capacity, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Maps a file as a heap whose bytes outlive the process, and locks it: a second writer (another process,
     * or another {@code map} of the same file in this JVM) is refused until {@link MappedHeap#close()}.
     *
     * <p>The capacity is checked first: it must be one an allocator can use (a multiple of 4 from 8 to
     * 2,147,483,644), so no file is created for a heap nothing could be built on. A missing file is created
     * atomically with {@code capacity} zero bytes (an uninitialised heap): written whole under a temporary name
     * in the same directory, then linked into place, so no crash leaves a file of the wrong size, and of two
     * processes creating it at once one creates it and the other opens it. An existing file is opened as it is
     * and must be exactly {@code capacity} bytes long, so that a heap is never silently truncated or extended.
     *
     * <p>Writes reach the file through the operating system's page cache: they survive a crash of the process
     * without {@link MappedHeap#force()}; surviving a power loss needs it. {@link MappedHeap} says exactly what
     * survives what.
     *
     * @param file the file
     * @param capacity the size in bytes
     * @param order the byte order of multi-byte values
     * @return the heap; close it to release the file
     * @throws IOException if the file cannot be created, opened, locked or mapped
     * @throws HeapFileLockedException if another process or another {@link MappedHeap} of this JVM has the
     *     file open as a heap (the message names the file and who holds it)
     * @throws IllegalArgumentException if {@code capacity} is not a multiple of 4 from 8 to 2,147,483,644 (no
     *     file is created), or the file exists and is not {@code capacity} bytes long (the message names the
     *     file and both sizes; the file is left as it was)
     * @throws NullPointerException if {@code file} or {@code order} is {@code null}
     */
    public static MappedHeap map(Path file, int capacity, ByteOrder order) throws IOException {
        return MappedHeap.open(file, capacity, order);
    }

    /**
     * Maps an existing file read-only as a little-endian heap. See {@link #mapReadOnly(Path, ByteOrder)}.
     *
     * @param file the file
     * @return the read-only heap
     * @throws IOException if the file does not exist or cannot be opened or mapped
     * @throws IllegalArgumentException if the file is longer than {@link Integer#MAX_VALUE} bytes
     * @throws NullPointerException if {@code file} is {@code null}
     */
    public static MappedHeap mapReadOnly(Path file) throws IOException {
        return mapReadOnly(file, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Maps an existing file read-only, as a heap of the file's size, without taking its lock: it can be opened
     * beside a writer (another process, or a {@link MappedHeap} of this JVM), for example to check or walk an
     * image with {@link io.github.emballoc.api.image.HeapImage} while a service uses it. It sees the writer's
     * changes as they are made, so a walk made while the writer works may meet a header that is being changed
     * (and report the image as corrupt): walk again. Every write throws a
     * {@link java.nio.ReadOnlyBufferException} naming the heap; an allocator refuses to be built on it.
     *
     * @param file the file
     * @param order the byte order of multi-byte values
     * @return the read-only heap; close it to drop the mapping
     * @throws IOException if the file does not exist or cannot be opened or mapped
     * @throws IllegalArgumentException if the file is longer than {@link Integer#MAX_VALUE} bytes
     * @throws NullPointerException if {@code file} or {@code order} is {@code null}
     */
    public static MappedHeap mapReadOnly(Path file, ByteOrder order) throws IOException {
        return MappedHeap.openReadOnly(file, order);
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
    }
}
