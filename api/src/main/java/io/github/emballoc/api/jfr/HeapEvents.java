package io.github.emballoc.api.jfr;

import io.github.emballoc.api.HeapException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.image.HeapImage;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Emits emballoc's Flight Recorder events: one static call per event, free when Flight Recorder is off.
 *
 * <p>An allocator calls {@link #allocationFailed(RawHeap, int, int)} on each path where an allocation
 * fails, inside its critical section, in one line:
 *
 * <pre>{@code
 * if (handle == NULL) {
 *     failedAllocations++;
 *     HeapEvents.allocationFailed(heap, size, alignment);
 * }
 * }</pre>
 *
 * <h2>What it costs</h2>
 * While Flight Recorder has never been started in this JVM, each method reads one static field of the JDK
 * ({@link FlightRecorder#isInitialized()}) and returns: no object, no walk, and Flight Recorder is not
 * started by it. Once it has been started, each call also reads the event type's enabled state (a field of
 * an {@link EventType} looked up once); only when the event is enabled in a running recording does it make
 * the event and, for a failed allocation, walk the heap to find the largest free entry and the free bytes.
 *
 * <p>Threads: stateless; any thread may call. {@link #allocationFailed} reads the heap, so the caller must
 * hold whatever keeps the heap from changing meanwhile (an allocator's critical section).
 */
public final class HeapEvents {

    private HeapEvents() {
    }

    /**
     * Reports a failed allocation: records an {@link AllocationFailedEvent} when that event is enabled in a
     * running recording, with the free space of {@code heap} found by one walk (or -1 figures if the walk
     * meets a bad header; the call then neither throws nor changes the allocator's result).
     *
     * @param heap the heap the allocation failed on, holding an image; walked only when the event is
     *     enabled, and never written
     * @param size the requested size
     * @param alignment the requested alignment
     */
    public static void allocationFailed(RawHeap heap, int size, int alignment) {
        if (FlightRecorder.isInitialized() && Types.ALLOCATION_FAILED.isEnabled()) {
            commitAllocationFailed(heap, size, alignment);
        }
    }

    /**
     * Reports a corrupt image: records a {@link CorruptImageEvent} when that event is enabled in a running
     * recording. Called by the constructor of {@link io.github.emballoc.api.HeapCorruptedException}.
     *
     * @param offset the offset of the first bad header
     * @param reason what is wrong with it
     */
    public static void corruptImage(int offset, String reason) {
        if (FlightRecorder.isInitialized() && Types.CORRUPT_IMAGE.isEnabled()) {
            CorruptImageEvent event = new CorruptImageEvent();
            event.offset = offset;
            event.reason = reason;
            event.commit();
        }
    }

    private static void commitAllocationFailed(RawHeap heap, int size, int alignment) {
        AllocationFailedEvent event = new AllocationFailedEvent();
        event.size = size;
        event.alignment = alignment;
        event.capacity = heap.capacity();
        try {
            HeapStats.Accumulator free = new HeapStats.Accumulator();
            HeapImage.walk(heap, free);
            HeapStats stats = free.toStats(heap.capacity());
            event.largestFree = stats.largestFree();
            event.freeBytes = stats.freeBytes();
        } catch (HeapException | IllegalArgumentException e) {
            event.largestFree = -1;
            event.freeBytes = -1;
        }
        event.commit();
    }

    /**
     * The event types, looked up when first needed: only once Flight Recorder is initialised, so that a JVM
     * that never records does not set up Flight Recorder's metadata for them.
     */
    private static final class Types {
        static final EventType ALLOCATION_FAILED = EventType.getEventType(AllocationFailedEvent.class);
        static final EventType CORRUPT_IMAGE = EventType.getEventType(CorruptImageEvent.class);

        private Types() {
        }
    }
}
