package io.github.emballoc.api.image;

/**
 * The layout of an entry header, the capacity rule and the request rounding rule: the one place that knows
 * them. A heap is a sequence of entries, each a 4-byte header followed by its payload:
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
 * <h2>The request rule</h2>
 * An allocation of {@code size} bytes aligned to {@code alignment} needs an entry whose payload is
 * {@link #blockSize(int, int)} bytes: {@code size + alignment} when {@code alignment > 4} (room to align),
 * else {@code size}; a request of 0 is served as 4; rounded up to a multiple of 4. Its handle is the payload
 * offset rounded up to {@code alignment} ({@link #alignPayload(int, int)}).
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
     * Returns the offset of the entry that follows an entry, where a walk goes next.
     *
     * @param headerOffset the offset of the entry's header
     * @param size the entry's payload size
     * @return {@code headerOffset + 4 + size}, as a {@code long} so that it cannot overflow
     */
    public static long nextOffset(int headerOffset, int size) {
        return (long) headerOffset + HEADER_LENGTH + size;
    }

    /**
     * Tells whether a heap of this capacity can hold an image.
     *
     * @param capacity the heap's capacity
     * @return whether it is a multiple of 4 from {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY}
     */
    public static boolean isValidCapacity(int capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && capacity % GRANULE == 0;
    }

    /**
     * Checks that a heap of this capacity can hold an image.
     *
     * @param capacity the heap's capacity
     * @throws IllegalArgumentException naming the capacity, if it is not a multiple of 4 from
     *     {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY}
     */
    public static void checkCapacity(int capacity) {
        if (!isValidCapacity(capacity)) {
            throw new IllegalArgumentException("heap capacity " + capacity + " is not a multiple of " + GRANULE
                    + " from " + MIN_CAPACITY + " to " + MAX_CAPACITY);
        }
    }

    /**
     * Checks the arguments of an allocation (or reallocation) request.
     *
     * @param size the requested size
     * @param alignment the requested alignment
     * @throws IllegalArgumentException naming the value, if {@code size} is negative or {@code alignment} is not
     *     a power of two
     */
    public static void checkRequest(int size, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
    }

    /**
     * Returns the payload size an entry needs to serve a request (the request rule above). Computed in 64 bits,
     * so that no request overflows: a result above {@code capacity - 4} means no entry of that heap can hold it.
     *
     * @param size the requested size, 0 or more (checked by {@link #checkRequest(int, int)})
     * @param alignment the requested alignment, a power of two
     * @return the entry payload size, a multiple of 4, at least 4
     */
    public static long blockSize(int size, int alignment) {
        long request = alignment > GRANULE ? (long) size + alignment : size;
        return request == 0 ? GRANULE : roundUp(request);
    }

    /**
     * Returns the payload size an entry needs so that {@code size} bytes fit from {@code shift} bytes into its
     * payload: what a block needs to keep its handle when it is reallocated in place. A size of 0 counts as 4, as
     * a request of 0 is served as 4, so that the handle always lies inside the block's payload (with a size of
     * 0 counted as 0, a block whose handle sits past its payload offset would end at its handle, and the handle
     * would name no block).
     *
     * @param shift how far the handle lies past the entry's payload offset, 0 or more
     * @param size the size the block must hold from its handle, 0 or more
     * @return {@code shift + size} ({@code shift + 4} when {@code size} is 0) rounded up to a multiple of 4, in
     *     64 bits: at least 4, and more than {@code shift}
     */
    public static long spanSize(int shift, int size) {
        return roundUp((long) shift + (size == 0 ? GRANULE : size));
    }

    /**
     * Rounds a byte count up to a multiple of 4.
     *
     * @param bytes a count, 0 or more
     * @return the smallest multiple of 4 that is at least {@code bytes}
     */
    public static long roundUp(long bytes) {
        return (bytes + (GRANULE - 1)) & -GRANULE;
    }

    /**
     * Returns the handle of a block: its payload offset rounded up to the alignment.
     *
     * @param payloadOffset the entry's payload offset
     * @param alignment the requested alignment, a power of two
     * @return {@code payloadOffset} when {@code alignment <= 4}, else the first multiple of {@code alignment} at
     *     or after it (an entry sized by {@link #blockSize(int, int)} always has room for it)
     */
    public static int alignPayload(int payloadOffset, int alignment) {
        return alignment > GRANULE ? (payloadOffset + alignment - 1) & -alignment : payloadOffset;
    }
}
