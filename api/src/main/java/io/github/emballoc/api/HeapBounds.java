package io.github.emballoc.api;

/**
 * Bounds checks shared by the standard heaps (and available to user heaps), with messages that name the
 * offset, the length and the capacity.
 *
 * <p>Stateless; every method may be called from any thread.
 */
public final class HeapBounds {

    private HeapBounds() {
    }

    /**
     * Checks that {@code [offset, offset + length)} lies inside {@code [0, capacity)}.
     * Allocates nothing unless it throws.
     *
     * @param offset the first byte of the access
     * @param length the number of bytes accessed
     * @param capacity the size of the region
     * @throws IndexOutOfBoundsException naming offset, length and capacity, if the range is not inside the
     *     region (a negative offset or length is never inside)
     */
    public static void check(int offset, int length, int capacity) {
        if ((offset | length) < 0 || offset > capacity - length) {
            throw outOfBounds(offset, length, capacity);
        }
    }

    /**
     * Checks that {@code [index, index + length)} lies inside an array of {@code arrayLength} elements.
     *
     * @param index the first element used
     * @param length how many elements are used
     * @param arrayLength the length of the array
     * @throws IndexOutOfBoundsException naming the index, the length and the array length
     */
    public static void checkArray(int index, int length, int arrayLength) {
        if ((index | length) < 0 || index > arrayLength - length) {
            throw new IndexOutOfBoundsException("array range [" + index + ", " + index + " + " + length
                    + ") is out of bounds for an array of length " + arrayLength);
        }
    }

    private static IndexOutOfBoundsException outOfBounds(int offset, int length, int capacity) {
        return new IndexOutOfBoundsException("access of " + length + " byte(s) at offset " + offset
                + " is out of bounds for a heap of capacity " + capacity);
    }
}
