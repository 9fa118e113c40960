package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.TraceRecorder;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop the trace recorder closes, end to end through the command's entry point: a program records
 * itself ({@link TraceRecorder}), {@code emballoc size} tells the smallest heap its recording needs, and
 * {@code emballoc replay} reproduces the recording, line for line, with the same offsets and the same final
 * entries.
 *
 * <p>The program allocates and frees only: {@code r} lines (reallocations) replay once the trace parser
 * reads them.
 */
class RecordedProgramEndToEndTest {

    private static final Pattern HEAP_SIZE = Pattern.compile("(?m)^  heap size    (\\d+) bytes$");

    @TempDir
    Path dir;

    /**
     * A message queue over a 4 KiB heap: messages of varying sizes arrive, the oldest are consumed when the
     * queue is long or an arrival does not fit. Returns the replay output it expects: one line per call (IDs
     * {@code b1}, {@code b2}, ... in allocation order, as the recorder names them), then the final entries.
     */
    private static String runProgram(Allocator allocator) {
        StringBuilder expected = new StringBuilder();
        Deque<int[]> queue = new ArrayDeque<>(); // {handle, id}
        int ids = 0;
        int seed = 20_261_125;
        for (int i = 0; i < 600; i++) {
            seed = seed * 1_103_515_245 + 12_345;
            int size = 8 + ((seed >>> 16) & 255);
            int handle = allocator.allocate(size, (seed & 0x300) == 0 ? 16 : 1);
            int id = ++ids;
            expected.append("a b").append(id).append(' ').append(handle == Allocator.NULL ? "null" : handle)
                    .append('\n');
            if (handle != Allocator.NULL) {
                allocator.heap().putInt(handle, i); // the message's payload
                queue.addLast(new int[] {handle, id});
            }
            boolean full = handle == Allocator.NULL;
            while (!queue.isEmpty() && (queue.size() > 12 || full)) {
                int[] oldest = queue.removeFirst();
                allocator.free(oldest[0]);
                expected.append("f b").append(oldest[1]).append(" ok\n");
                full = false;
            }
        }
        return expected.toString();
    }

    @Test
    void aProgramThatRecordsItselfIsSizedAndReplayedByTheCommand() throws IOException {
        Path trace = dir.resolve("queue.trace");
        FirstFitAllocator allocator = FirstFitAllocator.builder(RawHeaps.allocate(4096)).fit(Fit.BEST).build();
        String expectedCalls;
        try (TraceRecorder recorder = TraceRecorder.record(allocator, trace)) {
            expectedCalls = runProgram(recorder);
            assertTrue(recorder.isReplayable());
        }
        String finalEntries = EntryList.of(allocator).replayLines();
        assertTrue(expectedCalls.contains(" null\n"), "the program should meet a full heap at least once");

        Cli.Result replay = Cli.run("replay", trace.toString());
        assertEquals(0, replay.status, replay::toString);
        assertEquals(expectedCalls + finalEntries, replay.out, replay::toString);
        assertEquals("", replay.err, replay::toString);

        Cli.Result size = Cli.run("size", trace.toString());
        assertEquals(0, size.status, size::toString);
        Matcher matcher = HEAP_SIZE.matcher(size.out);
        if (!matcher.find()) {
            fail("no heap size in\n" + size);
        }
        int smallest = Integer.parseInt(matcher.group(1));

        Cli.Result enough = Cli.run("replay", "--heap", Integer.toString(smallest), trace.toString());
        assertEquals(0, enough.status, enough::toString);
        assertFalse(enough.out.contains(" null\n"), enough::toString);
        Cli.Result less = Cli.run("replay", "--heap", Integer.toString(smallest - 4), trace.toString());
        assertTrue(less.out.contains(" null\n"), less::toString);
    }
}
