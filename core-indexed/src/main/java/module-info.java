/**
 * emballoc's entry allocator with an index: {@link io.github.emballoc.indexed.IndexedAllocator} makes the same
 * decisions and writes the same bytes as the linear walk of {@code emballoc-core-firstfit}, but finds them in
 * logarithmic time.
 *
 * <p>Depends on the emballoc API and slf4j-api only. A critical section provider (for example
 * {@code emballoc-lock-cas}) must be present at run time unless every allocator is built with an explicit
 * {@link io.github.emballoc.api.CriticalSection}.
 */
module io.github.emballoc.indexed {
    requires transitive io.github.emballoc.api;
    requires org.slf4j;

    exports io.github.emballoc.indexed;
}
