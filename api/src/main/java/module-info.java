/**
 * The emballoc API: the {@link io.github.emballoc.api.RawHeap} a heap lives in, the
 * {@link io.github.emballoc.api.Allocator} that manages it, the {@link io.github.emballoc.api.CriticalSection}
 * that guards it (found through {@link java.util.ServiceLoader}), the heap image format
 * ({@link io.github.emballoc.api.image}) and the allocation trace format ({@link io.github.emballoc.api.trace}).
 *
 * <p>This module depends on nothing but {@code slf4j-api}.
 */
module io.github.emballoc.api {
    requires transitive org.slf4j;

    exports io.github.emballoc.api;
    exports io.github.emballoc.api.image;
    exports io.github.emballoc.api.trace;

    uses io.github.emballoc.api.CriticalSectionProvider;
}
