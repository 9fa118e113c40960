/**
 * emballoc's entry allocator for a {@link io.github.emballoc.api.RawHeap}, the linear walk:
 * {@link io.github.emballoc.firstfit.FirstFitAllocator}, built with
 * {@link io.github.emballoc.firstfit.FirstFitAllocator#create} or
 * {@link io.github.emballoc.firstfit.FirstFitAllocator#builder}, with either
 * {@link io.github.emballoc.api.Fit} and either {@link io.github.emballoc.api.Coalescing}. The image format it
 * reads and writes is {@link io.github.emballoc.api.image}'s.
 */
package io.github.emballoc.firstfit;
