/**
 * JDK Flight Recorder events of emballoc: {@link io.github.emballoc.api.jfr.AllocationFailedEvent}
 * ({@code emballoc.AllocationFailed}) and {@link io.github.emballoc.api.jfr.CorruptImageEvent}
 * ({@code emballoc.CorruptImage}), emitted through {@link io.github.emballoc.api.jfr.HeapEvents}.
 *
 * <p>They cost nothing while Flight Recorder is not running: each emitting method first reads one static
 * field of the JDK ({@link jdk.jfr.FlightRecorder#isInitialized()}), then the event type's enabled state,
 * and makes no object and walks no heap unless the event is enabled in a running recording. Record them
 * with {@code -XX:StartFlightRecording} or {@link jdk.jfr.Recording}, and read them in JDK Mission Control
 * (category "emballoc") or with {@code jfr print --events emballoc.AllocationFailed rec.jfr}.
 *
 * <p>The API module {@code requires jdk.jfr} (not {@code requires static}): {@code jdk.jfr} is a module of
 * every JDK since 11, not a library, and a static requirement would leave it out of the module graph of an
 * application on the module path unless the application named it, so the events would silently never
 * appear there.
 */
package io.github.emballoc.api.jfr;
