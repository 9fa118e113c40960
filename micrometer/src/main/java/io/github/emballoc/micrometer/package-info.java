/**
 * Micrometer metrics of an emballoc heap: {@link io.github.emballoc.micrometer.EmballocMetrics}.
 */
package io.github.emballoc.micrometer;
