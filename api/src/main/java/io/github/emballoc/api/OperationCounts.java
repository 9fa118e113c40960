package io.github.emballoc.api;

/**
 * How many operations an {@link Allocator} has served since it was built ({@link Allocator#counts()}).
 * Counts only grow; they wrap around only after {@code 2^63} operations.
 *
 * @param allocations successful allocations ({@code allocate}, {@code allocateOrThrow}, and
 *     {@code reallocate} of {@link Allocator#NULL})
 * @param failedAllocations allocations that found no free entry ({@link Allocator#NULL} returned or
 *     {@link HeapExhaustedException} thrown), including reallocations that had to move and could not
 * @param frees successful frees ({@code free(NULL)} is not counted)
 * @param reallocations successful reallocations of a live block, in place or moving
 */
public record OperationCounts(long allocations, long failedAllocations, long frees, long reallocations) {
}
