package io.github.emballoc.indexed;

/**
 * The Java heap bytes an index array takes, as a 64-bit HotSpot JVM with compressed references lays it out: a
 * 16-byte array header, the elements, and padding to a multiple of 8. What {@link IndexedAllocator}'s memory
 * figures are made of.
 */
final class IndexMemory {

    private static final int ARRAY_HEADER = 16;

    private IndexMemory() {
    }

    /** Bytes of a {@code long[]} of {@code n} elements. */
    static long longs(int n) {
        return align(ARRAY_HEADER + 8L * n);
    }

    /** Bytes of an {@code int[]} of {@code n} elements. */
    static long ints(int n) {
        return align(ARRAY_HEADER + 4L * n);
    }

    /** Bytes of an array of {@code n} references (4 bytes each, compressed). */
    static long references(int n) {
        return align(ARRAY_HEADER + 4L * n);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
