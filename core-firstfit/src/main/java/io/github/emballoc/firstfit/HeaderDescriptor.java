package io.github.emballoc.firstfit;

/**
 * The layout of an entry header, the one place that knows it. A heap is a sequence of entries, each a
 * 4-byte header followed by its payload:
 *
 * <pre>
 * offset 0                                                          capacity
 * | hdr | payload (size bytes) | hdr | payload | ... | hdr | payload |
 * </pre>
 *
 * A header is one unsigned 32-bit word in the heap's byte order:
 *
 * <pre>
 *  31                                            1   0
 * +-----------------------------------------------+---+
 * |              payload size in bytes            | U |   U = 1: used, U = 0: free
 * +-----------------------------------------------+---+
 * </pre>
 *
 * {@code word = (size << 1) | used}. Every size is a multiple of {@value #GRANULE}, so every header sits at a
 * multiple of {@value #GRANULE}. A heap's capacity is a multiple of {@value #GRANULE} from
 * {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY}.
 *
 * <p>Stateless; every method may be called from any thread, and none allocates unless it throws.
 */
public final class HeaderDescriptor {

    /** Bytes in one header. */
    public static final int HEADER_LENGTH = 4;
    /** Every entry size, payload offset and capacity is a multiple of this. */
    public static final int GRANULE = 4;
    /** The used bit of a header word. */
    public static final int USED_BIT = 1;
    /** How far the size is shifted left in a header word. */
    public static final int SIZE_SHIFT = 1;
    /** The smallest heap: one header and a 4-byte payload. */
    public static final int MIN_CAPACITY = 8;
    /** The largest heap: the largest multiple of 4 an {@code int} holds. */
    public static final int MAX_CAPACITY = 2_147_483_644;

    private HeaderDescriptor() {
    }

    /**
     * Encodes a header word.
     *
     * @param size the payload size, a multiple of 4 from 0 to {@value #MAX_CAPACITY}
     * @param used whether the entry is a used block
     * @return {@code (size << 1) | used}
     */
    public static int word(int size, boolean used) {
        return (size << SIZE_SHIFT) | (used ? USED_BIT : 0);
    }

    /**
     * Decodes the payload size of a header word.
     *
     * @param word the header word
     * @return the size, {@code word >>> 1}, from 0 to {@code 2^31 - 1} (a sound image has multiples of 4 only)
     */
    public static int size(int word) {
        return word >>> SIZE_SHIFT;
    }

    /**
     * Decodes the used bit of a header word.
     *
     * @param word the header word
     * @return whether the entry is a used block
     */
    public static boolean isUsed(int word) {
        return (word & USED_BIT) != 0;
    }

    /**
     * Returns the offset of an entry's payload.
     *
     * @param headerOffset the offset of the entry's header
     * @return {@code headerOffset + 4}
     */
    public static int payloadOffset(int headerOffset) {
        return headerOffset + HEADER_LENGTH;
    }

    /**
     * Checks that a heap of this capacity can hold an image.
     *
     * @param capacity the heap's capacity
     * @throws IllegalArgumentException naming the capacity, if it is not a multiple of 4 from
     *     {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY}
     */
    public static void checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || capacity % GRANULE != 0) {
            throw new IllegalArgumentException("heap capacity " + capacity + " is not a multiple of " + GRANULE
                    + " from " + MIN_CAPACITY + " to " + MAX_CAPACITY);
        }
    }
}
