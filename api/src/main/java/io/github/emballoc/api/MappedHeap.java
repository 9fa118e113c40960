package io.github.emballoc.api;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.internal.BufferRawHeap;
import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A heap in a memory-mapped file: memory that outlives the process. Made by
 * {@link RawHeaps#map(Path, int, ByteOrder)} (writable, one writer at a time) and
 * {@link RawHeaps#mapReadOnly(Path, ByteOrder)} (read-only, beside a writer).
 *
 * <h2>Opening, locking, closing</h2>
 * A writable heap holds its {@link FileChannel} and an exclusive {@link FileLock} on the whole file from
 * {@code map} until {@link #close()}. A second writable {@code map} of the same file (by any path that leads
 * to it) is refused with {@link HeapFileLockedException}, whether it comes from another process or from this
 * JVM. A read-only heap takes no lock and holds no channel: it can be opened beside a writer (for example to
 * inspect a heap a service is using) and sees the writer's changes as they are made.
 *
 * <p>{@link #close()} releases the lock and drops this heap's reference to the mapping. Every access to the
 * bytes after it ({@code get}, {@code put}, {@code fill}, {@code copy}, {@link #asByteBuffer(int, int)},
 * {@link #force()}) throws {@link IllegalStateException} ("heap closed", naming the file), never a JVM crash;
 * {@link #capacity()}, {@link #order()}, {@link #isReadOnly()}, {@link #file()} and {@link #isOpen()} still
 * answer. Closing twice does nothing. JDK 17 has no safe way to unmap a file while other code may still use
 * the mapping, so the memory is unmapped by the garbage collector once neither this heap nor any view of it
 * is reachable. Views from {@link #asByteBuffer(int, int)} (and {@code Allocator.view}) keep the mapping
 * alive and keep working after {@code close()}, but the file is then no longer locked: do not use them after
 * closing. A writable heap that becomes unreachable without being closed is closed by the garbage collector
 * (with a warning in the log); do not rely on it.
 *
 * <h2>What survives what</h2>
 * <ul>
 *   <li><b>A process crash</b> ({@code kill -9}, a JVM crash, {@code Runtime.halt}): every write already made
 *       to the heap survives, with no {@link #force()}. The mapping is the operating system's page cache of the
 *       file, shared with it, so a write is in the file the moment it is made. Together with the write order of
 *       the allocators ({@link io.github.emballoc.api.image}), a heap file attaches after a crash, every block
 *       that was live before the interrupted operation is still a used entry with its bytes, and the operation
 *       in flight happened or did not.</li>
 *   <li><b>An operating-system crash or a power loss</b>: only what {@link #force()} wrote to the storage
 *       device before it is guaranteed. The system writes dirty pages back on its own schedule, in no order, so
 *       after the last {@code force()} any subset of later page writes may be on disk. A free, a merge and one
 *       {@code coalesce()} run are each one 4-byte header write and survive whole or not at all; an allocate or
 *       reallocate writes two headers that may lie on different pages, so a power loss in the middle of one can
 *       leave an image that is refused as corrupt (or, rarely, is read differently). To make every completed
 *       operation durable, force after each one: {@link DurableAllocator} does it. Payload bytes a program
 *       writes through the heap need a {@code force()} of their own before they are durable.</li>
 * </ul>
 * A new file is created whole: the capacity is checked first, then a temporary file in the same directory is
 * written with {@code capacity} zero bytes, forced, locked, and linked into place atomically (or moved, where
 * the file system has no hard links). A crash during creation leaves either no heap file or a complete one
 * (and at most a stray temporary file {@code .NAME.*.tmp}, which can be deleted), never a file of the wrong
 * size; of two processes creating the same file at once, one creates it and the other opens it.
 *
 * <h2>Threads</h2>
 * The bytes follow the thread rules of {@link RawHeap}. {@code close()} may be called from any thread; an
 * access that happens after it (in the sense of the Java memory model: the same thread, or one that
 * synchronised with the closing thread) throws {@link IllegalStateException}, an access racing with it either
 * completes on the still-mapped memory or throws. Opening and closing heaps is thread-safe.
 *
 * <p>File locks are POSIX record locks on Linux and macOS: the process loses its lock when <em>any</em>
 * channel to the file is closed in it. This class never opens a second channel to a file it holds, but other
 * code of the same process must not open and close the heap file while it is mapped (reading it through
 * {@link RawHeaps#mapReadOnly(Path)} is safe). A file truncated by another program while it is mapped makes
 * accesses throw {@link InternalError} (the JVM's report of a fault in mapped memory).
 */
public final class MappedHeap implements RawHeap, Closeable {

    /*
     * Design notes.
     *
     * Accesses go to a BufferRawHeap (the standard buffer heap: bounds checks, read-only refusals with a
     * message) held in a plain field that close() sets to null. Each access reads the field once and throws
     * IllegalStateException on null; it allocates nothing. The mapping itself is never unmapped by hand (JDK 17
     * has no safe unmap), so a racing access still holds the buffer and touches mapped memory, never freed
     * memory. HeaderAccess deliberately does not read this heap's buffer directly (its fast path is for
     * BufferRawHeap only): it would keep a reference to the buffer, and an allocator used after close() would
     * then write to the file instead of throwing.
     *
     * One writer per file. The exclusive FileLock stops other processes. Within this JVM the lock cannot be
     * relied on: FileChannel.tryLock throws OverlappingFileLockException, but closing that second channel
     * releases the first channel's POSIX lock (the process loses every lock on a file when any of its
     * descriptors for it is closed). So the JVM keeps its own table WRITERS of the files it holds, keyed by
     * the file key (device and inode on Unix, so two paths to one file are one key; the real path where the
     * file system has no keys), and refuses a second writer from the table without opening a channel. Every
     * open and close of a channel to a heap file happens under the OPEN lock, so a read-only open never closes
     * a channel to a file this JVM holds: when a writer holds it, the reader maps through the writer's channel.
     *
     * Creation. link(2) publishes the temporary file under the final name atomically and fails if the name
     * exists, where rename(2) would replace a file another process has just created and locked. The temporary
     * file is locked before it is linked, so the heap file is never visible unlocked while its creator holds
     * it. A loser of the race (the name exists) deletes its temporary file and opens the winner's file, as a
     * second opener: refused while the winner holds it. File systems without hard links fall back to a move
     * without replacement (Files.move checks and renames: a narrow window remains there where two creators can
     * both succeed; it is the file system's limit).
     *
     * Zero bytes are written for the whole capacity (not one byte at the end), so the file owns its blocks: a
     * full disk is reported by map(), not later by a write into a hole of the mapping.
     */

    private static final Logger LOG = LoggerFactory.getLogger(MappedHeap.class);

    private static final Cleaner CLEANER = Cleaner.create();

    /** Guards {@link #WRITERS} and every open and close of a channel to a heap file. */
    private static final Object OPEN = new Object();

    /** The files this JVM holds as writable heaps, by file key. */
    private static final Map<Object, Holder> WRITERS = new HashMap<>();

    private static final int ZERO_CHUNK = 64 * 1024;
    private static final int TEMPORARY_NAME_TRIES = 16;

    private final Path file;
    private final int capacity;
    private final ByteOrder order;
    private final boolean readOnly;
    private final Holder holder;
    private final Cleaner.Cleanable cleanable;

    /** The bytes while open; null once closed. */
    private BufferRawHeap bytes;

    private MappedHeap(Path file, MappedByteBuffer mapped, ByteOrder order, Holder holder) {
        this.file = file;
        this.capacity = mapped.capacity();
        this.order = order;
        this.readOnly = mapped.isReadOnly();
        this.holder = holder;
        this.bytes = new BufferRawHeap(mapped.order(order), "mapped heap " + file);
        this.cleanable = holder == null ? null : CLEANER.register(this, holder);
    }

    /** What a writable heap holds, and what the cleaner releases when the heap is lost without close(). */
    private static final class Holder implements Runnable {
        final Object key;
        final Path file;
        final FileChannel channel;
        final int capacity;
        boolean released;

        Holder(Object key, Path file, FileChannel channel, int capacity) {
            this.key = key;
            this.file = file;
            this.channel = channel;
            this.capacity = capacity;
        }

        /** Releases the lock and closes the channel, once. */
        void release() throws IOException {
            synchronized (OPEN) {
                if (released) {
                    return;
                }
                released = true;
                WRITERS.remove(key);
                channel.close(); // releases the lock
            }
        }

        /** The cleaner's action: the heap became unreachable without close(). */
        @Override
        public void run() {
            boolean wasOpen;
            synchronized (OPEN) {
                wasOpen = !released;
            }
            try {
                release();
            } catch (IOException e) {
                LOG.warn("closing the channel of mapped heap {} failed", file, e);
            }
            if (wasOpen) {
                LOG.warn("mapped heap {} was not closed; the garbage collector released its lock", file);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- opening

    /** See {@link RawHeaps#map(Path, int, ByteOrder)}. */
    static MappedHeap open(Path file, int capacity, ByteOrder order) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(order, "order");
        if (!HeaderDescriptor.isValidCapacity(capacity)) {
            throw new IllegalArgumentException("cannot map " + file + " as a heap of " + capacity
                    + " bytes: an allocator needs a capacity that is a multiple of " + HeaderDescriptor.GRANULE
                    + " from " + HeaderDescriptor.MIN_CAPACITY + " to " + HeaderDescriptor.MAX_CAPACITY);
        }
        synchronized (OPEN) {
            Object key = keyOrNull(file);
            if (key == null) {
                MappedHeap created = create(file, capacity, order);
                if (created != null) {
                    return created;
                }
                key = keyOrNull(file);
                if (key == null) {
                    throw new FileSystemException(file.toString(), null,
                            "appeared and disappeared while it was being created: another program deletes it");
                }
            }
            return openExisting(file, key, capacity, order);
        }
    }

    /** See {@link RawHeaps#mapReadOnly(Path, ByteOrder)}. */
    static MappedHeap openReadOnly(Path file, ByteOrder order) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(order, "order");
        synchronized (OPEN) {
            Holder writer = WRITERS.get(key(file));
            if (writer != null) {
                // never open (and close) a second channel to a file this JVM holds: it would drop the lock
                MappedByteBuffer mapped = writer.channel.map(FileChannel.MapMode.READ_ONLY, 0, writer.capacity);
                return new MappedHeap(file, mapped, order, null);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("cannot map " + file + " read-only as a heap: it is " + size
                            + " bytes long, more than a heap can hold (" + Integer.MAX_VALUE + ")");
                }
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                LOG.debug("mapped {} read-only ({} bytes, {})", file, size, order);
                return new MappedHeap(file, mapped, order, null);
            }
        }
    }

    private static MappedHeap openExisting(Path file, Object key, int capacity, ByteOrder order) throws IOException {
        if (WRITERS.containsKey(key)) {
            throw new HeapFileLockedException(file, true);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                // locked through a channel of this JVM that is not a MappedHeap's
                throw new HeapFileLockedException(file, true);
            }
            if (lock == null) {
                throw new HeapFileLockedException(file, false);
            }
            long size = channel.size();
            if (size != capacity) {
                throw new IllegalArgumentException("cannot map " + file + " as a heap of " + capacity
                        + " bytes: the file exists and is " + size + " bytes long");
            }
            MappedHeap heap = hold(file, key, channel, capacity, order);
            LOG.debug("mapped {} ({} bytes, {}), locked", file, capacity, order);
            return heap;
        } catch (IOException | RuntimeException | Error failure) {
            closeAfter(channel, failure);
            throw failure;
        }
    }

    /**
     * Creates the file whole and maps it, or returns null when another process created it first (the caller
     * then opens that one).
     */
    private static MappedHeap create(Path file, int capacity, ByteOrder order) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Path name = absolute.getFileName();
        if (directory == null || name == null) {
            throw new FileSystemException(file.toString(), null, "is not a path to a file");
        }
        Path temporary = null;
        FileChannel channel = null;
        for (int tries = 0; channel == null; tries++) {
            temporary = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                if (tries == TEMPORARY_NAME_TRIES) {
                    throw taken;
                }
            }
        }
        try {
            if (channel.tryLock() == null) {
                throw new FileSystemException(temporary.toString(), null, "a new file is locked by someone else");
            }
            writeZeros(channel, capacity);
            channel.force(true);
            if (!publish(temporary, file)) {
                LOG.debug("{} was created by another process while this one created it; opening that file", file);
                closeAfter(channel, null);
                Files.deleteIfExists(temporary);
                return null;
            }
            Files.deleteIfExists(temporary); // the temporary name, after a link; gone already after a move
            MappedHeap heap = hold(file, key(file), channel, capacity, order);
            LOG.debug("created and mapped {} ({} bytes, {}), locked", file, capacity, order);
            return heap;
        } catch (IOException | RuntimeException | Error failure) {
            // a published file is whole; it stays (another process may already be opening it)
            closeAfter(channel, failure);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    private static void writeZeros(FileChannel channel, int capacity) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(Math.min(ZERO_CHUNK, capacity));
        long position = 0;
        while (position < capacity) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - position));
            position += channel.write(zeros, position);
        }
    }

    /**
     * Puts the complete temporary file under its final name unless that name exists.
     *
     * @return whether it did; false if the name exists (another creator won)
     */
    static boolean publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException lost) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            // a file system without hard links: a move that refuses to replace (checked, then renamed)
            try {
                Files.move(temporary, file);
                return true;
            } catch (FileAlreadyExistsException lost) {
                return false;
            } catch (IOException | RuntimeException moveFailed) {
                moveFailed.addSuppressed(noLinks);
                throw moveFailed;
            }
        }
    }

    /** Maps a locked channel and registers the writer. */
    private static MappedHeap hold(Path file, Object key, FileChannel channel, int capacity, ByteOrder order)
            throws IOException {
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        Holder holder = new Holder(key, file, channel, capacity);
        WRITERS.put(key, holder);
        return new MappedHeap(file, mapped, order, holder);
    }

    private static void closeAfter(FileChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.warn("closing a channel failed", e);
            }
        }
    }

    /** The identity of the file a path leads to, or null if nothing is there. */
    private static Object keyOrNull(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException missing) {
            return null;
        }
        Object key = attributes.fileKey();
        return key != null ? key : file.toRealPath();
    }

    private static Object key(Path file) throws IOException {
        Object key = keyOrNull(file);
        if (key == null) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        return key;
    }

    // ------------------------------------------------------------------------------------------- the heap

    private BufferRawHeap bytes() {
        BufferRawHeap open = bytes;
        if (open == null) {
            throw new IllegalStateException("heap closed: " + this);
        }
        return open;
    }

    /**
     * Returns the file this heap maps, as it was passed to {@code map}.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Tells whether this heap is still open.
     *
     * @return {@code false} once {@link #close()} was called
     */
    public boolean isOpen() {
        return bytes != null;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteOrder order() {
        return order;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     */
    @Override
    public byte getByte(int offset) {
        return bytes().getByte(offset);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void putByte(int offset, byte value) {
        bytes().putByte(offset, value);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     */
    @Override
    public int getInt(int offset) {
        return bytes().getInt(offset);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void putInt(int offset, int value) {
        bytes().putInt(offset, value);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     */
    @Override
    public long getLong(int offset) {
        return bytes().getLong(offset);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void putLong(int offset, long value) {
        bytes().putLong(offset, value);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     */
    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        bytes().getBytes(offset, dst, dstOffset, length);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        bytes().putBytes(offset, src, srcOffset, length);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void fill(int offset, int length, byte value) {
        bytes().fill(offset, length, value);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.nio.ReadOnlyBufferException if the heap is read-only (the message names it and the write)
     */
    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        bytes().copy(srcOffset, dstOffset, length);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The view keeps the mapping alive, and keeps working after {@link #close()}; do not use it then (the
     * file is no longer locked).
     *
     * @throws IllegalStateException if the heap is closed
     */
    @Override
    public ByteBuffer asByteBuffer(int offset, int length) {
        return bytes().asByteBuffer(offset, length);
    }

    /**
     * {@inheritDoc}
     *
     * @return whether the heap was opened with {@link RawHeaps#mapReadOnly(Path)}
     */
    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Writes every change made to the mapping back to the file on the storage device
     * ({@link MappedByteBuffer#force()}, {@code msync}), and returns when it is there. What survives without
     * it and what needs it: see the class description. On a read-only heap it does nothing.
     *
     * @throws IllegalStateException if the heap is closed
     * @throws java.io.UncheckedIOException if the operating system reports that it could not write the pages
     */
    @Override
    public void force() {
        bytes().force();
    }

    /**
     * Closes the heap: releases the file lock, closes the channel and drops the mapping (which the garbage
     * collector unmaps). Does not {@link #force()}: a process crash after it loses nothing, a power loss may
     * lose what was not forced. Calling it again does nothing.
     *
     * @throws IOException if closing the channel fails (the heap is closed all the same)
     */
    @Override
    public void close() throws IOException {
        bytes = null;
        if (holder != null) {
            try {
                holder.release();
                LOG.debug("closed mapped heap {}", file);
            } finally {
                cleanable.clean();
            }
        }
    }

    @Override
    public String toString() {
        return "mapped heap " + file + " of " + capacity + " bytes, " + order
                + (bytes == null ? " (closed)" : "");
    }
}
