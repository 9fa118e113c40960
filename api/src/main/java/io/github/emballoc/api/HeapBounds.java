package io.github.emballoc.api;

import java.nio.ReadOnlyBufferException;

/**
 * Bounds checks shared by the standard heaps (and available to user heaps), with messages that name the
 * offset, the length and the capacity; and the exception a read-only heap throws for a write, with a message
 * (the JDK's {@link ReadOnlyBufferException} has none).
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

    /**
     * Makes the exception a read-only heap throws for a write inside its bounds: a
     * {@link ReadOnlyBufferException} (as a read-only {@link java.nio.ByteBuffer} throws, so code that catches
     * that type keeps working) whose message names the heap and the write. Check the bounds first: a write
     * outside the heap is an {@link IndexOutOfBoundsException}, read-only or not.
     *
     * @param heap the heap, named in the message by its {@code toString()}
     * @param offset the first byte the refused write would have written
     * @param length how many bytes it would have written
     * @return the exception, to be thrown
     */
    public static ReadOnlyBufferException readOnly(Object heap, int offset, int length) {
        return new ReadOnlyHeapException(heap + " is read-only: a write of " + length + " byte(s) at offset "
                + offset + " was refused");
    }

    private static IndexOutOfBoundsException outOfBounds(int offset, int length, int capacity) {
        return new IndexOutOfBoundsException("access of " + length + " byte(s) at offset " + offset
                + " is out of bounds for a heap of capacity " + capacity);
    }

    /** A {@link ReadOnlyBufferException} with a message. */
    private static final class ReadOnlyHeapException extends ReadOnlyBufferException {
        private static final long serialVersionUID = 1L;

        private final String message;

        ReadOnlyHeapException(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
