package io.github.emballoc.api;

/**
 * Thrown when a heap image breaks the rules of the heap format: when attaching to an image, by
 * {@link Allocator#verify()}, or by an operation that meets a bad header. It names the offset of the first
 * bad header and what is wrong with it. Whatever throws it leaves the bytes as they were: an image is never
 * silently repaired.
 */
public class HeapCorruptedException extends HeapException {

    private static final long serialVersionUID = 1L;

    /** The value its accessor of the same name returns. */
    private final int offset;
    /** The value its accessor of the same name returns. */
    private final String reason;

    /**
     * Makes the exception.
     *
     * @param offset the offset of the first bad header
     * @param reason what is wrong with it
     */
    public HeapCorruptedException(int offset, String reason) {
        super("corrupt heap image: header at offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * Returns the offset of the first bad header.
     *
     * @return the offset, relative to the start of the heap
     */
    public int offset() {
        return offset;
    }

    /**
     * Returns what is wrong with the header, without the offset.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
