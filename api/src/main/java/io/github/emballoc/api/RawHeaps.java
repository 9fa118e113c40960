package io.github.emballoc.api;

import io.github.emballoc.api.internal.ArrayRawHeap;
import io.github.emballoc.api.internal.BufferRawHeap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The standard heaps: over a {@code byte[]}, over a heap or direct {@link ByteBuffer}, and over a
 * memory-mapped file. All are little-endian unless a method is told otherwise (the one exception:
 * {@link #wrap(ByteBuffer)} keeps the buffer's order, and a new buffer is big-endian), check the bounds of
 * every access, and allocate nothing per single-value access.
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
     * Maps a file as a little-endian heap. See {@link #map(Path, int, ByteOrder)}.
     *
     * @param file the file
     * @param capacity the size in bytes, which the file has or is created with
     * @return the heap
     * @throws IOException if the file cannot be created, opened or mapped
     * @throws IllegalArgumentException if {@code capacity} is negative, or the file exists with another size
     */
    public static RawHeap map(Path file, int capacity) throws IOException {
        return map(file, capacity, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Maps a file as a heap whose bytes outlive the process. A missing file is created with {@code capacity}
     * zero bytes (an uninitialised heap); an existing file is opened as it is and must be exactly
     * {@code capacity} bytes long, so that a heap is never silently truncated or extended. Writes reach the
     * file through the operating system's page cache; {@link RawHeap#force()} writes them to the storage
     * device. The mapping stays valid until the heap is garbage collected. If mapping fails, a file this call
     * created is deleted again.
     *
     * @param file the file
     * @param capacity the size in bytes
     * @param order the byte order of multi-byte values
     * @return the heap
     * @throws IOException if the file cannot be created, opened or mapped
     * @throws IllegalArgumentException if {@code capacity} is negative, or the file exists and is not
     *     {@code capacity} bytes long (the message names the file and both sizes)
     * @throws NullPointerException if {@code file} or {@code order} is {@code null}
     */
    public static RawHeap map(Path file, int capacity, ByteOrder order) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(order, "order");
        checkCapacity(capacity);
        FileChannel channel;
        boolean created;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            created = true;
        } catch (FileAlreadyExistsException exists) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            created = false;
        }
        MappedByteBuffer mapped;
        try (FileChannel open = channel) {
            long size = open.size();
            if (!created && size != capacity) {
                throw new IllegalArgumentException("cannot map " + file + " as a heap of " + capacity
                        + " bytes: the file exists and is " + size + " bytes long");
            }
            mapped = open.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        } catch (IOException | RuntimeException failure) {
            if (created) {
                // do not leave behind an empty file that the next map() would refuse for its size
                try {
                    Files.deleteIfExists(file);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
        mapped.order(order);
        return new BufferRawHeap(mapped, "mapped heap " + file);
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
    }
}
