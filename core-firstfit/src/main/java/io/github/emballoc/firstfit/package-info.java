/**
 * emballoc's entry allocator for a {@link io.github.emballoc.api.RawHeap}.
 *
 * <ul>
 *   <li>{@link io.github.emballoc.firstfit.FirstFitAllocator}: the algorithm, built with
 *       {@link io.github.emballoc.firstfit.FirstFitAllocator#create} or
 *       {@link io.github.emballoc.firstfit.FirstFitAllocator#builder}.</li>
 *   <li>{@link io.github.emballoc.firstfit.Fit}: which free entry an allocation takes.</li>
 *   <li>{@link io.github.emballoc.firstfit.HeaderDescriptor}: the layout of an entry header, drawn once.</li>
 * </ul>
 */
package io.github.emballoc.firstfit;
