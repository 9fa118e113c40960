package io.github.emballoc.api.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flight Recorder events, recorded in this JVM with {@link Recording} and read back from the file: the
 * fields the event classes promise, and nothing recorded for an event the recording does not enable.
 */
class HeapEventsTest {

    @TempDir
    Path dir;

    @Test
    void aFailedAllocationIsRecordedWithTheRequestAndTheFreeSpaceOfTheHeap() {
        // entries: 0 used 16, 20 free 8, 32 used 4, 40 free 20 (capacity 64)
        RawHeap heap = RawHeaps.allocate(64);
        heap.putInt(0, HeaderDescriptor.word(16, true));
        heap.putInt(20, HeaderDescriptor.word(8, false));
        heap.putInt(32, HeaderDescriptor.word(4, true));
        heap.putInt(40, HeaderDescriptor.word(20, false));

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME,
                () -> HeapEvents.allocationFailed(heap, 24, 8));

        assertEquals(1, events.size(), events::toString);
        RecordedEvent event = events.get(0);
        assertEquals(24, event.getInt("size"));
        assertEquals(8, event.getInt("alignment"));
        assertEquals(20, event.getInt("largestFree"));
        assertEquals(28, event.getInt("freeBytes"));
        assertEquals(64, event.getInt("capacity"));
        assertTrue(event.getStackTrace().getFrames().stream()
                        .anyMatch(frame -> frame.getMethod().getName()
                                .startsWith("lambda$aFailedAllocationIsRecordedWithTheRequestAndTheFreeSpaceOfTheHeap$")),
                () -> "the stack trace shows the caller: " + event.getStackTrace());
    }

    @Test
    void aFailedAllocationOnAHeapThatCannotBeWalkedIsRecordedWithMinusOneFigures() {
        RawHeap heap = RawHeaps.allocate(64);
        heap.putInt(0, HeaderDescriptor.word(6, true)); // not a multiple of 4

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME, () -> HeapEvents.allocationFailed(heap, 4, 1));

        assertEquals(1, events.size(), events::toString);
        assertEquals(-1, events.get(0).getInt("largestFree"));
        assertEquals(-1, events.get(0).getInt("freeBytes"));
        assertEquals(4, events.get(0).getInt("size"));
    }

    @Test
    void aCorruptImageIsRecordedWithTheOffsetAndReasonOfItsFirstBadHeader() {
        RawHeap heap = RawHeaps.allocate(64);
        heap.putInt(0, HeaderDescriptor.word(8, true));
        heap.putInt(12, HeaderDescriptor.word(400, false)); // ends past the capacity

        List<RecordedEvent> events = record(CorruptImageEvent.NAME,
                () -> assertThrows(HeapCorruptedException.class, () -> HeapImage.check(heap)));

        assertEquals(1, events.size(), events::toString);
        assertEquals(12, events.get(0).getInt("offset"));
        assertEquals("free entry of 400 bytes ends at 416, past the capacity 64 (header word 0x00000320)",
                events.get(0).getString("reason"));
    }

    @Test
    void nothingIsRecordedForAnEventTheRecordingDisables() {
        RawHeap heap = RawHeaps.allocate(64);
        HeapImage.initialise(heap);

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME, false,
                () -> HeapEvents.allocationFailed(heap, 100, 1));

        assertEquals(List.of(), events);
    }

    private List<RecordedEvent> record(String eventName, Runnable action) {
        return record(eventName, true, action);
    }

    /**
     * Runs {@code action} inside a recording that enables (or disables) {@code eventName}; returns the events of
     * that name this thread recorded.
     */
    private List<RecordedEvent> record(String eventName, boolean enabled, Runnable action) {
        try (Recording recording = new Recording()) {
            if (enabled) {
                recording.enable(eventName).withStackTrace();
            } else {
                recording.disable(eventName);
            }
            recording.start();
            action.run();
            recording.stop();
            Path file = Files.createTempFile(dir, "events", ".jfr");
            recording.dump(file);
            long thread = Thread.currentThread().getId();
            return RecordingFile.readAllEvents(file).stream()
                    .filter(event -> event.getEventType().getName().equals(eventName))
                    .filter(event -> event.getThread() != null && event.getThread().getJavaThreadId() == thread)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
