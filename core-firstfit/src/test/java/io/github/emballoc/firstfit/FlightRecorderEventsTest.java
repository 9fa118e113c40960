package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.jfr.AllocationFailedEvent;
import io.github.emballoc.api.jfr.CorruptImageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * The allocator's Flight Recorder events, recorded in this JVM: every path on which an allocation fails
 * ({@code allocate}, {@code allocateOrThrow}, a {@code reallocate} that must move) records one
 * {@code emballoc.AllocationFailed} with the request and the heap's free space, attaching to a corrupt image
 * records one {@code emballoc.CorruptImage}, and a failing allocation makes no object when the event is off.
 */
class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    /** Two used blocks of 16 with a free entry of 8 between them and 20 free bytes at the end. */
    private static FirstFitAllocator fragmented() {
        FirstFitAllocator allocator = FirstFitAllocator.builder(RawHeaps.allocate(76))
                .criticalSection(new PlainSection()).build();
        int a = allocator.allocate(16);
        allocator.allocate(8);
        allocator.allocate(16);
        allocator.free(a + 16 + 4); // the 8-byte block
        return allocator;
    }

    @Test
    void aFailedAllocateRecordsTheRequestTheLargestFreeEntryAndTheFreeBytes() {
        FirstFitAllocator allocator = fragmented();
        HeapStats stats = allocator.stats();

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME,
                () -> assertEquals(Allocator.NULL, allocator.allocate(24, 8)));

        assertEquals(1, events.size(), events::toString);
        assertFields(events.get(0), 24, 8, stats);
        assertEquals(1, allocator.counts().failedAllocations());
    }

    @Test
    void aFailedAllocateOrThrowRecordsOneEvent() {
        FirstFitAllocator allocator = fragmented();
        HeapStats stats = allocator.stats();

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME,
                () -> assertThrows(HeapExhaustedException.class, () -> allocator.allocateOrThrow(21)));

        assertEquals(1, events.size(), events::toString);
        assertFields(events.get(0), 21, 1, stats);
    }

    @Test
    void aReallocationThatMustMoveAndCannotRecordsTheNewSize() {
        FirstFitAllocator allocator = fragmented();
        int first = 4;
        HeapStats stats = allocator.stats();

        List<RecordedEvent> events = record(AllocationFailedEvent.NAME,
                () -> assertEquals(Allocator.NULL, allocator.reallocate(first, 40, 4)));

        assertEquals(1, events.size(), events::toString);
        assertFields(events.get(0), 40, 4, stats);
    }

    @Test
    void attachingToACorruptImageRecordsTheOffsetOfTheFirstBadHeader() {
        RawHeap heap = RawHeaps.allocate(64);
        heap.putInt(0, HeaderDescriptor.word(8, true));
        heap.putInt(12, HeaderDescriptor.word(10, true)); // not a multiple of 4

        List<RecordedEvent> events = record(CorruptImageEvent.NAME, () -> assertThrows(HeapCorruptedException.class,
                () -> FirstFitAllocator.builder(heap).criticalSection(new PlainSection()).build()));

        assertEquals(1, events.size(), events::toString);
        assertEquals(12, events.get(0).getInt("offset"));
        assertEquals("size 10 is not a multiple of 4 (header word 0x00000015)", events.get(0).getString("reason"));
    }

    @Test
    void aFailedAllocationMakesNoObjectWhileTheEventIsOff() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        FirstFitAllocator allocator = fragmented();

        // Flight Recorder running, the event disabled: the check is the type's enabled state
        try (Recording recording = new Recording()) {
            recording.disable(AllocationFailedEvent.NAME);
            recording.start();
            failMany(allocator, 20_000); // warm up
            long id = Thread.currentThread().getId();
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && least > 64; attempt++) {
                // the JIT's or the recorder's own work may show up once; an object per failed allocation would
                // be 16 x 20,000 bytes or more
                long before = counter.getThreadAllocatedBytes(id);
                failMany(allocator, 20_000);
                least = Math.min(least, counter.getThreadAllocatedBytes(id) - before);
            }
            recording.stop();
            assertEquals(0, Math.max(0, least - 64), least + " bytes allocated by 20,000 failed allocations");
        }
    }

    private static void failMany(FirstFitAllocator allocator, int times) {
        for (int i = 0; i < times; i++) {
            if (allocator.allocate(64 + (i & 7)) != Allocator.NULL) {
                throw new AssertionError("an allocation of 64 bytes or more fit in " + allocator.stats());
            }
        }
    }

    private static void assertFields(RecordedEvent event, int size, int alignment, HeapStats stats) {
        assertEquals(size, event.getInt("size"), event::toString);
        assertEquals(alignment, event.getInt("alignment"), event::toString);
        assertEquals(stats.largestFree(), event.getInt("largestFree"), event::toString);
        assertEquals(stats.freeBytes(), event.getInt("freeBytes"), event::toString);
        assertEquals(stats.capacity(), event.getInt("capacity"), event::toString);
    }

    /** Runs {@code action} inside a recording that enables {@code eventName}; returns the events of that name. */
    private List<RecordedEvent> record(String eventName, Runnable action) {
        try (Recording recording = new Recording()) {
            recording.enable(eventName).withStackTrace();
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
