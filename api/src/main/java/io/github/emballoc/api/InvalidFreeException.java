package io.github.emballoc.api;

/**
 * Thrown by {@link Allocator#free(int)} when no block holds the offset (it is outside the heap, in a header,
 * or in bytes no entry covers), and by the other operations that take the handle of a live block
 * ({@link Allocator#usableSize(int)}, {@link Allocator#reallocate(int, int, int)}) for the same reason. The
 * heap is left as it was.
 */
public class InvalidFreeException extends HeapException {

    private static final long serialVersionUID = 1L;

    /** The value its accessor of the same name returns. */
    private final int handle;

    /**
     * Makes the exception.
     *
     * @param handle the offset passed to {@code free}
     * @param capacity the capacity of the heap
     */
    public InvalidFreeException(int handle, int capacity) {
        super("invalid free: no block holds offset " + handle + " (heap capacity " + capacity
                + "); the heap is unchanged");
        this.handle = handle;
    }

    /**
     * Makes the exception for an operation other than {@code free}.
     *
     * @param operation the operation refused, for example {@code "usableSize"}
     * @param handle the offset passed to it
     * @param capacity the capacity of the heap
     */
    public InvalidFreeException(String operation, int handle, int capacity) {
        super(operation + ": no block holds offset " + handle + " (heap capacity " + capacity
                + "); the heap is unchanged");
        this.handle = handle;
    }

    /**
     * Returns the offset that was passed to the operation.
     *
     * @return the handle
     */
    public int handle() {
        return handle;
    }
}
