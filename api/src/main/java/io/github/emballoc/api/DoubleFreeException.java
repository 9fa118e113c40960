package io.github.emballoc.api;

/**
 * Thrown by {@link Allocator#free(int)} when the offset lies inside an entry that is already free, and by the
 * other operations that take the handle of a live block ({@link Allocator#usableSize(int)},
 * {@link Allocator#reallocate(int, int, int)}) for the same reason. The heap is left as it was.
 */
public class DoubleFreeException extends HeapException {

    private static final long serialVersionUID = 1L;

    /** The value its accessor of the same name returns. */
    private final int handle;
    /** The value its accessor of the same name returns. */
    private final int entryOffset;

    /**
     * Makes the exception.
     *
     * @param handle the offset passed to {@code free}
     * @param entryOffset the header offset of the free entry that holds it
     * @param entrySize the payload size of that entry
     */
    public DoubleFreeException(int handle, int entryOffset, int entrySize) {
        super("double free: offset " + handle + " lies in the free entry at offset " + entryOffset + " ("
                + entrySize + " bytes); the heap is unchanged");
        this.handle = handle;
        this.entryOffset = entryOffset;
    }

    /**
     * Makes the exception for an operation other than {@code free} that was given the offset of a free entry.
     *
     * @param operation the operation refused, for example {@code "reallocate"}
     * @param handle the offset passed to it
     * @param entryOffset the header offset of the free entry that holds it
     * @param entrySize the payload size of that entry
     */
    public DoubleFreeException(String operation, int handle, int entryOffset, int entrySize) {
        super(operation + ": offset " + handle + " lies in the free entry at offset " + entryOffset + " ("
                + entrySize + " bytes), not in a used block; the heap is unchanged");
        this.handle = handle;
        this.entryOffset = entryOffset;
    }

    /**
     * Returns the offset that was passed to the operation.
     *
     * @return the handle
     */
    public int handle() {
        return handle;
    }

    /**
     * Returns the header offset of the free entry that holds the handle.
     *
     * @return the entry's offset
     */
    public int entryOffset() {
        return entryOffset;
    }
}
