/**
 * A Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder} for any emballoc allocator:
 * {@link io.github.emballoc.micrometer.EmballocMetrics}.
 *
 * <p>Depends on the emballoc API and {@code micrometer-core}; the runtime modules do not depend on it.
 */
module io.github.emballoc.micrometer {
    requires transitive io.github.emballoc.api;
    requires transitive micrometer.core;
    requires org.slf4j;

    exports io.github.emballoc.micrometer;
}
