/**
 * The emballoc API: the {@link io.github.emballoc.api.RawHeap} a heap lives in, the
 * {@link io.github.emballoc.api.Allocator} that manages it, the {@link io.github.emballoc.api.CriticalSection}
 * that guards it (found through {@link java.util.ServiceLoader}), the heap image format
 * ({@link io.github.emballoc.api.image}), the allocation trace format and its recorder
 * ({@link io.github.emballoc.api.trace}), debugging decorators ({@link io.github.emballoc.api.debug}: leak
 * reports, poisoning) and Flight Recorder events ({@link io.github.emballoc.api.jfr}).
 *
 * <p>This module depends on nothing but {@code slf4j-api}, which it uses for its own logging only (no SLF4J type
 * is part of the API, so the module does not pass {@code org.slf4j} on to the modules that read it), and the
 * JDK's own {@code jdk.jfr}, whose {@code Event} the Flight Recorder event classes extend.
 */
module io.github.emballoc.api {
    requires org.slf4j;
    // Flight Recorder events (io.github.emballoc.api.jfr): a JDK module, not a library; see that package.
    requires transitive jdk.jfr;

    exports io.github.emballoc.api;
    exports io.github.emballoc.api.image;
    exports io.github.emballoc.api.trace;
    exports io.github.emballoc.api.jfr;
    exports io.github.emballoc.api.debug;

    uses io.github.emballoc.api.CriticalSectionProvider;
}
