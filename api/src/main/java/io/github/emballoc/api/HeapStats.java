package io.github.emballoc.api;

import io.github.emballoc.api.image.HeaderDescriptor;

/**
 * A snapshot of what a heap holds, as seen by one walk of its entries.
 *
 * <pre>
 * capacity = headerBytes() + usedBytes + freeBytes + unusableBytes()
 * </pre>
 *
 * @param capacity the heap's size in bytes
 * @param usedEntries how many used blocks there are
 * @param freeEntries how many free entries there are
 * @param usedBytes the payload bytes of the used blocks (headers excluded)
 * @param freeBytes the payload bytes of the free entries (headers excluded)
 * @param largestFree the payload size of the largest free entry, 0 when none is free
 */
public record HeapStats(int capacity, int usedEntries, int freeEntries, int usedBytes, int freeBytes,
                        int largestFree) {

    /** Bytes taken by one entry header. */
    private static final int HEADER_BYTES = HeaderDescriptor.HEADER_LENGTH;

    /**
     * Checks the figures for consistency.
     *
     * @param capacity the heap's size in bytes
     * @param usedEntries how many used blocks there are
     * @param freeEntries how many free entries there are
     * @param usedBytes the payload bytes of the used blocks
     * @param freeBytes the payload bytes of the free entries
     * @param largestFree the payload size of the largest free entry
     * @throws IllegalArgumentException naming the figure, if any is negative, if the largest free entry is
     *     larger than the free bytes, or if headers and payloads add up to more than the capacity
     */
    public HeapStats {
        if (capacity < 0 || usedEntries < 0 || freeEntries < 0 || usedBytes < 0 || freeBytes < 0 || largestFree < 0) {
            throw new IllegalArgumentException("negative figure in " + describe(capacity, usedEntries, freeEntries,
                    usedBytes, freeBytes, largestFree));
        }
        if (largestFree > freeBytes) {
            throw new IllegalArgumentException("largest free entry " + largestFree + " exceeds the free bytes "
                    + freeBytes);
        }
        long total = (long) HEADER_BYTES * ((long) usedEntries + freeEntries) + usedBytes + freeBytes;
        if (total > capacity) {
            throw new IllegalArgumentException("headers and payloads add up to " + total
                    + " bytes, more than the capacity " + capacity);
        }
    }

    /**
     * Returns the number of entries, used and free.
     *
     * @return {@code usedEntries + freeEntries}
     */
    public int entries() {
        return usedEntries + freeEntries;
    }

    /**
     * Returns the bytes taken by entry headers.
     *
     * @return {@code HeaderDescriptor.HEADER_LENGTH * entries()}
     */
    public int headerBytes() {
        return HEADER_BYTES * entries();
    }

    /**
     * Returns the bytes that belong to no visited entry: the last 4 bytes of a heap whose walk ends at
     * {@code capacity - 4} (see the heap format), else 0.
     *
     * @return {@code capacity - headerBytes() - usedBytes - freeBytes}
     */
    public int unusableBytes() {
        return capacity - headerBytes() - usedBytes - freeBytes;
    }

    /**
     * Returns how fragmented the free space is: {@code 1 - largestFree / freeBytes}, 0 when nothing is free.
     * 0 means all free bytes are in one entry; close to 1 means they are scattered in small pieces.
     *
     * @return a value in {@code [0, 1)}
     */
    public double fragmentation() {
        return freeBytes == 0 ? 0.0 : 1.0 - (double) largestFree / freeBytes;
    }

    private static String describe(int capacity, int usedEntries, int freeEntries, int usedBytes, int freeBytes,
                                   int largestFree) {
        return "HeapStats[capacity=" + capacity + ", usedEntries=" + usedEntries + ", freeEntries=" + freeEntries
                + ", usedBytes=" + usedBytes + ", freeBytes=" + freeBytes + ", largestFree=" + largestFree + "]";
    }

    /**
     * An {@link EntryVisitor} that adds up entries into a {@link HeapStats}, without allocating per entry.
     *
     * <p>Threads: not thread-safe; use one per walk.
     */
    public static final class Accumulator implements EntryVisitor {
        private int usedEntries;
        private int freeEntries;
        private int usedBytes;
        private int freeBytes;
        private int largestFree;

        /** Makes an accumulator with every figure at zero. */
        public Accumulator() {
        }

        @Override
        public void visit(int offset, boolean used, int size) {
            if (used) {
                usedEntries++;
                usedBytes += size;
            } else {
                freeEntries++;
                freeBytes += size;
                if (size > largestFree) {
                    largestFree = size;
                }
            }
        }

        /**
         * Returns the figures added up so far.
         *
         * @param capacity the capacity of the heap walked
         * @return the statistics
         * @throws IllegalArgumentException if the entries seen cannot fit in {@code capacity}
         */
        public HeapStats toStats(int capacity) {
            return new HeapStats(capacity, usedEntries, freeEntries, usedBytes, freeBytes, largestFree);
        }
    }
}
