package io.github.emballoc.api.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The Flight Recorder event {@value #NAME}: an allocation (or a reallocation that had to move) found no free
 * entry that could hold it. Its fields, as a {@code jdk.jfr.consumer.RecordedEvent} reads them:
 *
 * <ul>
 *   <li>{@code size} (int, bytes): the requested size;</li>
 *   <li>{@code alignment} (int, bytes): the requested alignment;</li>
 *   <li>{@code largestFree} (int, bytes): the payload of the largest free entry at the time, or -1 when the
 *       heap could not be walked;</li>
 *   <li>{@code freeBytes} (int, bytes): the payload bytes of all free entries at the time, or -1 likewise;</li>
 *   <li>{@code capacity} (int, bytes): the heap's capacity.</li>
 * </ul>
 *
 * With its stack trace, it tells which code asked for memory the heap could not give, and whether the heap
 * was full ({@code freeBytes < size}) or fragmented ({@code largestFree < size <= freeBytes}).
 *
 * <p>Emitted by {@link HeapEvents#allocationFailed}; users enable it by name or by this class.
 *
 * <p>Threads: an event object is used by one thread, as every {@link Event} is.
 */
@Name(AllocationFailedEvent.NAME)
@Label("Allocation Failed")
@Category("emballoc")
@Description("An emballoc allocation found no free entry that could hold it")
@StackTrace(true)
public final class AllocationFailedEvent extends Event {

    /** The event's name in a recording. */
    public static final String NAME = "emballoc.AllocationFailed";

    @Label("Size")
    @Description("The requested size")
    @DataAmount(DataAmount.BYTES)
    int size;

    @Label("Alignment")
    @Description("The requested alignment")
    @DataAmount(DataAmount.BYTES)
    int alignment;

    @Label("Largest Free")
    @Description("The payload of the largest free entry, -1 if the heap could not be walked")
    @DataAmount(DataAmount.BYTES)
    int largestFree;

    @Label("Free Bytes")
    @Description("The payload bytes of all free entries, -1 if the heap could not be walked")
    @DataAmount(DataAmount.BYTES)
    int freeBytes;

    @Label("Capacity")
    @Description("The heap's capacity")
    @DataAmount(DataAmount.BYTES)
    int capacity;

    /** Makes an empty event; {@link HeapEvents} fills and commits it. */
    AllocationFailedEvent() {
    }
}
