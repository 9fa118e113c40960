package io.github.emballoc.api.debug;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapException;
import java.util.Objects;

/**
 * Thrown by a {@link PoisoningAllocator} that found a write after free or an overrun
 * ({@link PoisonViolation}). The operation that found it has been carried out in full before it is thrown:
 * an allocation or reallocation that found it has its block, whose handle {@link #handle()} returns, so that
 * the caller can still free it.
 */
public class PoisonViolationException extends HeapException {

    private static final long serialVersionUID = 1L;

    /** The value its accessor of the same name returns. */
    private final transient PoisonViolation violation;
    /** The value its accessor of the same name returns. */
    private final int handle;

    /**
     * Makes the exception.
     *
     * @param violation what was found
     * @param handle the handle the operation that found it returned, or {@link Allocator#NULL}
     * @throws NullPointerException if {@code violation} is {@code null}
     */
    public PoisonViolationException(PoisonViolation violation, int handle) {
        super(Objects.requireNonNull(violation, "violation").describe()
                + (handle == Allocator.NULL ? "" : "; the call's result, handle " + handle + ", is allocated"));
        this.violation = violation;
        this.handle = handle;
    }

    /**
     * Returns what was found.
     *
     * @return the violation ({@code null} only in an exception read back from a serialised form, which keeps the
     *     message)
     */
    public PoisonViolation violation() {
        return violation;
    }

    /**
     * Returns the handle the operation that found the violation returned: an allocation's or reallocation's
     * block, which is allocated.
     *
     * @return the handle, or {@link Allocator#NULL} when the operation returns none ({@code free},
     *     {@code verify}, a failed allocation)
     */
    public int handle() {
        return handle;
    }
}
