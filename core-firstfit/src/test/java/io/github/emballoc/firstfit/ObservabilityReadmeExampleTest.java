package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.debug.LeakReport;
import io.github.emballoc.api.debug.LeakTracker;
import io.github.emballoc.api.debug.PoisonViolationException;
import io.github.emballoc.api.debug.PoisoningAllocator;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceRecorder;
import io.github.emballoc.api.trace.TraceReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of README.md's section "Recording, leak reports, poisoning and metrics", as written there (the
 * Micrometer one is in the micrometer module's tests), so that they keep compiling and doing what the README
 * says.
 */
class ObservabilityReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void theRecordingExampleWritesATraceThatReplaysToTheSameOffsets() throws IOException {
        Path file = dir.resolve("run.trace"); // the README writes Path.of("run.trace")
        // --- README "Recording" begins
        Allocator allocator = FirstFitAllocator.create(RawHeaps.allocate(4096));
        try (TraceRecorder recorder = TraceRecorder.record(allocator, file)) {
            int header = recorder.allocate(100);                // a b1 100
            int body = recorder.allocate(1000, 16);             // a b2 1000 16
            recorder.free(header);                              // f b1
        }
        // --- README "Recording" ends
        assertEquals("heap 4096\n# recorded from " + allocator + " (replay with the same fit and coalescing)\n"
                + "a b1 100\na b2 1000 16\nf b1\n", Files.readString(file));
        assertEquals(EntryList.of(allocator).replayLines(), TraceReplayer.replay(Trace.parse(file),
                FirstFitAllocator.create(RawHeaps.allocate(4096))).entries().replayLines());
    }

    @Test
    void theLeakExampleNamesTheMethodThatLeaked() {
        RawHeap heap = RawHeaps.allocate(4096);
        // --- README "Leak reports" begins
        LeakTracker allocator = LeakTracker.track(FirstFitAllocator.create(heap), LeakTracker.Level.EVERY);
        int session = allocator.allocate(256);                  // never freed
        allocator.free(allocator.allocate(64));
        LeakReport report = allocator.report();                 // data: sites, blocks, bytes, handles
        System.out.print(report.toText());                      // or text
        // --- README "Leak reports" ends
        assertEquals(1, report.trackedBlocks());
        assertEquals(session, report.sites().get(0).handles().get(0));
        assertTrue(report.toText().startsWith("1 live block tracked (256 bytes) at 1 allocation site, of 1 live"
                + " block in all; level EVERY\n  1 block, 256 bytes (handle 4), allocated at\n    "
                + ObservabilityReadmeExampleTest.class.getName() + ".theLeakExampleNamesTheMethodThatLeaked("),
                report::toText);
    }

    @Test
    void thePoisoningExampleReportsTheWriteAfterFree() {
        RawHeap heap = RawHeaps.allocate(4096);
        PoisonViolationException thrown = assertThrows(PoisonViolationException.class, () -> {
            // --- README "Poisoning" begins
            PoisoningAllocator allocator = PoisoningAllocator.poison(FirstFitAllocator.create(heap));
            int block = allocator.allocate(24);
            allocator.free(block);
            heap.putByte(block + 8, (byte) 1);                  // a write after free
            allocator.verify();                                 // throws PoisonViolationException
            // --- README "Poisoning" ends
        });
        System.out.println(thrown.getMessage());
        assertEquals("write after free at offset 12 (byte 0x01, expected 0xdd): 8 bytes into the block at 4 (24"
                + " bytes), freed earlier; found by verify()", thrown.getMessage());
    }
}
