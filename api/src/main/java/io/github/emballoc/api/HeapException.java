package io.github.emballoc.api;

/**
 * The base of every exception an {@link Allocator} throws about the state of its heap (as opposed to
 * {@link IllegalArgumentException} for bad arguments and {@link IllegalStateException} for misuse of a
 * {@link CriticalSection}).
 */
public class HeapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Makes an exception with a message.
     *
     * @param message what went wrong
     */
    public HeapException(String message) {
        super(message);
    }

    /**
     * Makes an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause what caused it
     */
    public HeapException(String message, Throwable cause) {
        super(message, cause);
    }
}
