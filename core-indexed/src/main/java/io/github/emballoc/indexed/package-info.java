/**
 * emballoc's entry allocator for a {@link io.github.emballoc.api.RawHeap}, found through an index:
 * {@link io.github.emballoc.indexed.IndexedAllocator}, built with
 * {@link io.github.emballoc.indexed.IndexedAllocator#create} or
 * {@link io.github.emballoc.indexed.IndexedAllocator#builder}, with either {@link io.github.emballoc.api.Fit}
 * and either {@link io.github.emballoc.api.Coalescing}. It reads and writes the image format of
 * {@link io.github.emballoc.api.image} and follows its rules and write order to the byte, exactly as the linear
 * walk ({@code FirstFitAllocator}) does, so either can attach to the other's heap.
 */
package io.github.emballoc.indexed;
