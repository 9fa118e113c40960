/**
 * Allocation traces: the plain-text workload format of {@code trace-format.md} ({@link
 * io.github.emballoc.api.trace.Trace}), parsed with errors that name {@code FILE:LINE}
 * ({@link io.github.emballoc.api.trace.TraceFormatException}), and replayed against any
 * {@link io.github.emballoc.api.Allocator} ({@link io.github.emballoc.api.trace.TraceReplayer}) into the
 * replay output format ({@link io.github.emballoc.api.trace.ReplayResult}). The tests, the test kit and the
 * {@code emballoc} command share this one implementation.
 */
package io.github.emballoc.api.trace;
