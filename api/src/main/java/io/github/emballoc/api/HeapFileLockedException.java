package io.github.emballoc.api;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Thrown by {@link RawHeaps#map(Path, int)} when the file is already open as a writable heap: by another
 * process, or by a {@link MappedHeap} of this JVM that is not closed yet. Only one writer at a time may map a
 * heap file (each would run its own allocator over the same bytes and hand out the same blocks twice);
 * {@link RawHeaps#mapReadOnly(Path)} reads it beside the writer.
 *
 * <p>{@link #getFile()} is the file as it was passed; the message names it and says who holds it.
 */
public final class HeapFileLockedException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    /** Whether a {@link MappedHeap} of this JVM holds the file (else another process does). */
    private final boolean heldInThisJvm;

    /**
     * Makes the exception.
     *
     * @param file the heap file
     * @param heldInThisJvm {@code true} if a {@link MappedHeap} of this JVM holds it, {@code false} if another
     *     process holds its lock
     */
    public HeapFileLockedException(Path file, boolean heldInThisJvm) {
        super(String.valueOf(file), null, heldInThisJvm
                ? "already open as a heap in this JVM (share that MappedHeap, or close it first;"
                        + " RawHeaps.mapReadOnly reads the file beside it)"
                : "locked by another process that has it open as a heap (RawHeaps.mapReadOnly reads the file"
                        + " beside that process)");
        this.heldInThisJvm = heldInThisJvm;
    }

    /**
     * Tells who holds the file.
     *
     * @return {@code true} if a {@link MappedHeap} of this JVM holds it, {@code false} if another process does
     */
    public boolean heldInThisJvm() {
        return heldInThisJvm;
    }
}
