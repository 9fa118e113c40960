package io.github.emballoc.api;

import io.github.emballoc.api.jfr.HeapEvents;

/**
 * Thrown when a heap image breaks the rules of the heap format: when attaching to an image, by
 * {@link Allocator#verify()}, or by an operation that meets a bad header. It names the offset of the first
 * bad header and what is wrong with it. Whatever throws it leaves the bytes as they were: an image is never
 * silently repaired.
 *
 * <p>Making one records a Flight Recorder {@link io.github.emballoc.api.jfr.CorruptImageEvent} when that event
 * is enabled in a running recording (and costs one static read otherwise): the constructor is the one place
 * every report of a corrupt image passes through.
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
        HeapEvents.corruptImage(offset, reason);
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
