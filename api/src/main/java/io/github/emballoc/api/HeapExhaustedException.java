package io.github.emballoc.api;

/**
 * Thrown by {@link Allocator#allocateOrThrow(int, int)} when no free entry can hold the request. The heap is
 * left as it was. The message names the request, the largest free entry and the free bytes in all, which
 * tells a too-small heap (little free in all) from a fragmented one (much free, in small pieces).
 */
public class HeapExhaustedException extends HeapException {

    private static final long serialVersionUID = 1L;

    /** The value its accessor of the same name returns. */
    private final int size;
    /** The value its accessor of the same name returns. */
    private final int alignment;
    /** The value its accessor of the same name returns. */
    private final int largestFree;
    /** The value its accessor of the same name returns. */
    private final int freeBytes;

    /**
     * Makes the exception.
     *
     * @param size the requested size in bytes
     * @param alignment the requested alignment
     * @param largestFree the payload size of the largest free entry when the request failed
     * @param freeBytes the free payload bytes in all when the request failed
     */
    public HeapExhaustedException(int size, int alignment, int largestFree, int freeBytes) {
        super("heap exhausted: no free entry fits " + size + " bytes aligned to " + alignment
                + "; the largest free entry holds " + largestFree + " bytes, " + freeBytes + " bytes are free in all");
        this.size = size;
        this.alignment = alignment;
        this.largestFree = largestFree;
        this.freeBytes = freeBytes;
    }

    /**
     * Returns the requested size.
     *
     * @return the size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * Returns the requested alignment.
     *
     * @return the alignment, a power of two
     */
    public int alignment() {
        return alignment;
    }

    /**
     * Returns the payload size of the largest free entry when the request failed.
     *
     * @return bytes
     */
    public int largestFree() {
        return largestFree;
    }

    /**
     * Returns the free payload bytes in all when the request failed.
     *
     * @return bytes
     */
    public int freeBytes() {
        return freeBytes;
    }
}
