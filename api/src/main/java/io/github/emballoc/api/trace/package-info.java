/**
 * Allocation traces: the plain-text workload format of {@code trace-format.md} ({@code a}, {@code f} and
 * {@code r} lines), read one operation at a time in constant memory ({@link
 * io.github.emballoc.api.trace.TraceReader}, the one parser) or into memory ({@link
 * io.github.emballoc.api.trace.Trace}), with errors that name {@code FILE:LINE}
 * ({@link io.github.emballoc.api.trace.TraceFormatException}), and replayed against any
 * {@link io.github.emballoc.api.Allocator} ({@link io.github.emballoc.api.trace.TraceReplayer}) into the
 * replay output format ({@link io.github.emballoc.api.trace.ReplayResult}), kept in memory or streamed. The
 * tests, the test kit and the {@code emballoc} command share this one implementation.
 */
package io.github.emballoc.api.trace;
