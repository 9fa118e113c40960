/**
 * The emballoc API: the {@link io.github.emballoc.api.RawHeap} a heap lives in, the
 * {@link io.github.emballoc.api.Allocator} that manages it, the {@link io.github.emballoc.api.CriticalSection}
 * that guards it (found through {@link java.util.ServiceLoader}), and the allocation trace format
 * ({@link io.github.emballoc.api.trace}).
 *
 * <p>This module depends on nothing but {@code slf4j-api}, which it uses for its own logging only: no SLF4J type
 * is part of the API, so the module does not pass {@code org.slf4j} on to the modules that read it.
 */
module io.github.emballoc.api {
    requires org.slf4j;

    exports io.github.emballoc.api;
    exports io.github.emballoc.api.trace;

    uses io.github.emballoc.api.CriticalSectionProvider;
}
