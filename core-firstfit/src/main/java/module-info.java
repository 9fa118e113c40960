/**
 * emballoc's entry allocator: {@link io.github.emballoc.firstfit.FirstFitAllocator}, with first fit and best
 * fit ({@link io.github.emballoc.api.Fit}), writing heap images that are emballoc 0.3.0's to the byte.
 *
 * <p>Depends on the emballoc API and slf4j-api only. A critical section provider (for example
 * {@code emballoc-lock-cas}) must be present at run time unless every allocator is built with an explicit
 * {@link io.github.emballoc.api.CriticalSection}.
 */
module io.github.emballoc.firstfit {
    requires transitive io.github.emballoc.api;
    requires org.slf4j;

    exports io.github.emballoc.firstfit;
}
