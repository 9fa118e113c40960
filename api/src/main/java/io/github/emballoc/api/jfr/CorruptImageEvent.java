package io.github.emballoc.api.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The Flight Recorder event {@value #NAME}: a heap image was found to break the heap format, and a
 * {@link io.github.emballoc.api.HeapCorruptedException} was made to report it. Its fields, as a
 * {@code jdk.jfr.consumer.RecordedEvent} reads them:
 *
 * <ul>
 *   <li>{@code offset} (int): the offset of the first bad header;</li>
 *   <li>{@code reason} (String): what is wrong with it (the exception's {@code reason()}).</li>
 * </ul>
 *
 * <p>Emitted by {@link HeapEvents#corruptImage}, which the exception's constructor calls: every report of a
 * corrupt image, by any allocator, the attach check or a walk, goes through that one constructor, and an
 * exception is made once per report.
 *
 * <p>Threads: an event object is used by one thread, as every {@link Event} is.
 */
@Name(CorruptImageEvent.NAME)
@Label("Corrupt Heap Image")
@Category("emballoc")
@Description("An emballoc heap image breaks the heap format")
@StackTrace(true)
public final class CorruptImageEvent extends Event {

    /** The event's name in a recording. */
    public static final String NAME = "emballoc.CorruptImage";

    @Label("Offset")
    @Description("The offset of the first bad header")
    int offset;

    @Label("Reason")
    @Description("What is wrong with the header")
    String reason;

    /** Makes an empty event; {@link HeapEvents} fills and commits it. */
    CorruptImageEvent() {
    }
}
