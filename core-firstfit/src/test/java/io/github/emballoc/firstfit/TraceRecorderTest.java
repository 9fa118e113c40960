package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceFormatException;
import io.github.emballoc.api.trace.TraceRecorder;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.lock.cas.CasSpinLock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TraceRecorder}: the exact lines it writes for each kind of call, and its promise that a recorded
 * trace replays ({@link TraceReplayer}) to the same outcome for every call and the same final entries, for
 * every fit and coalescing, including double frees, frees inside blocks and frees of offsets no block holds.
 */
class TraceRecorderTest {

    @TempDir
    Path dir;

    private static FirstFitAllocator allocator(int capacity, Fit fit, Coalescing coalescing) {
        return FirstFitAllocator.builder(RawHeaps.allocate(capacity)).fit(fit).coalescing(coalescing)
                .criticalSection(new PlainSection()).build();
    }

    /** The operation lines of a trace text, without the heap line and comments. */
    private static List<String> lines(String trace) {
        List<String> lines = new ArrayList<>();
        for (String line : trace.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void eachCallIsOneLineAndIdsAreFreshPerAllocationAndStablePerBlock() throws IOException {
        StringWriter text = new StringWriter();
        FirstFitAllocator plain = allocator(256, Fit.FIRST, Coalescing.FORWARD);
        try (TraceRecorder recorder = TraceRecorder.record(plain, text)) {
            int a = recorder.allocate(10);                      // 4, entry payload 12
            int b = recorder.allocate(20, 16);                  // entry at 16, payload 20..56, handle 32
            assertEquals(4, a);
            assertEquals(32, b);
            assertEquals(Allocator.NULL, recorder.allocate(1000));
            recorder.free(b + 3);                               // inside b: b's ID and a delta
            assertThrows(DoubleFreeException.class, () -> recorder.free(b)); // b's ID, refused as in a replay
            recorder.free(Allocator.NULL);
            int c = recorder.reallocate(a, 40);                 // grows in place into the free space after it
            assertEquals(a, c);
            int d = recorder.allocate(8);
            int e = recorder.reallocate(c, 100);                // must move: the ID moves with the block
            assertTrue(e != c && e != Allocator.NULL, "moved to " + e);
            recorder.free(e);
            recorder.free(d);
            assertThrows(IllegalArgumentException.class, () -> recorder.allocate(-1));
            assertTrue(recorder.isReplayable());
        }
        assertEquals(List.of(
                "heap 256",
                "# recorded from " + plain + " (replay with the same fit and coalescing)",
                "a b1 10",
                "a b2 20 16",
                "a b3 1000",
                "f b2 3",
                "f b2",
                "f NULL",
                "r b1 40",
                "a b4 8",
                "r b1 100",
                "f b1",
                "f b4",
                "# allocate(-1, 1) threw IllegalArgumentException: size -1 is negative"), lines(text.toString()));
    }

    @Test
    void callsTheFormatCannotSayAreCommentsAndOnlyThoseThatChangedTheHeapBreakTheReplay() throws IOException {
        StringWriter text = new StringWriter();
        try (TraceRecorder recorder = TraceRecorder.record(allocator(256, Fit.FIRST, Coalescing.FORWARD), text)) {
            int a = recorder.allocate(4, 64);                   // entry at 0 with payload 4..72, handle 64
            assertEquals(64, a);
            assertThrows(InvalidFreeException.class, () -> recorder.free(-7));
            assertTrue(recorder.isReplayable(), "a refused free changes nothing");
            assertThrows(IllegalArgumentException.class, () -> recorder.reallocate(a, 8, 3));
            assertTrue(recorder.isReplayable(), "bad arguments change nothing");
            assertEquals(0, recorder.coalesce());
            assertTrue(recorder.isReplayable(), "a coalesce that merges nothing changes nothing");
            recorder.free(8);                                    // inside the block's padding, below its handle
            assertFalse(recorder.isReplayable(), "a free the trace cannot say");
        }
        List<String> lines = lines(text.toString());
        assertEquals(List.of(
                "a b1 4 64",
                "# free(-7) was refused; not in the trace: no ID is bound at or below offset -7",
                "# reallocate(64, 8, 3) threw IllegalArgumentException: alignment 3 is not a power of two",
                "# coalesce() merged nothing",
                "# free(8) freed a block; not in the trace: no ID is bound at or below offset 8 (a replay differs"
                        + " from here on)"), lines.subList(2, lines.size()));
    }

    @Test
    void aReallocationOfAnOffsetInsideABlockIsACommentAndACoalesceThatMergesBreaksTheReplay() throws IOException {
        StringWriter text = new StringWriter();
        try (TraceRecorder recorder = TraceRecorder.record(allocator(256, Fit.FIRST, Coalescing.FORWARD), text)) {
            int a = recorder.allocate(32);
            assertEquals(Allocator.NULL, recorder.reallocate(a + 8, 1000));
            assertTrue(recorder.isReplayable(), "a reallocation that returned NULL changed nothing");
            int b = recorder.allocate(8);
            recorder.allocate(8);
            recorder.free(a);
            recorder.free(b);                                    // forward coalescing leaves a's and b's apart
            assertTrue(recorder.isReplayable());
            assertEquals(1, recorder.coalesce());
            assertFalse(recorder.isReplayable(), "the trace cannot say the merge");
        }
        List<String> lines = lines(text.toString());
        assertEquals("# reallocate(12, 1000, 1) returned NULL; not in the trace: no ID is bound to offset 12",
                lines.get(3));
        assertEquals("# coalesce() merged 1 entry; not in the trace: the trace format has no coalesce (a replay"
                + " differs from here on)", lines.get(lines.size() - 1));
    }

    @Test
    void aRecordingStartsOnlyOnAFreshHeapAndLeavesTheFileAloneOtherwise() throws IOException {
        FirstFitAllocator used = allocator(128, Fit.BEST, Coalescing.FORWARD);
        int a = used.allocate(8);
        int b = used.allocate(8);
        used.free(a);
        used.free(b); // no block left, but two free entries: not the state a replay starts from
        Path file = dir.resolve("never.trace");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceRecorder.record(used, file));
        assertEquals("a recording starts on a fresh heap (one free entry of 124 bytes), so that its replay starts from"
                + " the same state, but " + used + " holds 0 used and 2 free entries, the largest free 112 bytes",
                e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void aFailingWriterStopsTheRecordingButNotTheAllocatorAndCloseThrowsTheFirstFailure() throws IOException {
        IOException full = new IOException("disk full");
        Writer failing = new Writer() {
            int writes;

            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                if (++writes > 2) {
                    throw full;
                }
            }

            @Override
            public void flush() throws IOException {
                throw full;
            }

            @Override
            public void close() {
            }
        };
        TraceRecorder recorder = TraceRecorder.record(allocator(4096, Fit.FIRST, Coalescing.FORWARD), failing);
        for (int i = 0; i < 2000; i++) {
            int handle = recorder.allocate(16);
            assertTrue(handle != Allocator.NULL);
            recorder.free(handle);
        }
        assertFalse(recorder.isReplayable());
        assertSame(full, assertThrows(IOException.class, recorder::close));
        recorder.close(); // closing again does nothing
        assertEquals(4000, recorder.counts().allocations() + recorder.counts().frees());
    }

    @Test
    void aRecordingToAFileIsFlushedOnCloseAndReplaysToTheSameOffsets() throws IOException {
        Path file = dir.resolve("run.trace");
        FirstFitAllocator plain = allocator(1024, Fit.BEST, Coalescing.FORWARD);
        List<String> outcomes = new ArrayList<>();
        try (TraceRecorder recorder = TraceRecorder.record(plain, file)) {
            SplittableRandom random = new SplittableRandom(7);
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                if (live.isEmpty() || random.nextInt(3) > 0) {
                    int handle = recorder.allocate(random.nextInt(1, 100));
                    outcomes.add(handle == Allocator.NULL ? "null" : Integer.toString(handle));
                    if (handle != Allocator.NULL) {
                        live.add(handle);
                    }
                } else {
                    recorder.free(live.remove(random.nextInt(live.size())));
                    outcomes.add("ok");
                }
            }
        }
        ReplayResult result = TraceReplayer.replay(Trace.parse(file),
                allocator(Trace.parse(file).heapSize().getAsInt(), Fit.BEST, Coalescing.FORWARD));
        assertEquals(outcomes, outcomeColumn(result));
        assertEquals(EntryList.of(plain).replayLines(), result.entries().replayLines());
    }

    static List<Arguments> configurations() {
        List<Arguments> configurations = new ArrayList<>();
        long seed = 0x7E_C0_4D_E4L;
        for (Fit fit : Fit.values()) {
            for (Coalescing coalescing : Coalescing.values()) {
                for (int capacity : new int[] {64, 512, 4096}) {
                    configurations.add(Arguments.of(fit, coalescing, capacity, seed++));
                }
            }
        }
        return configurations;
    }

    /**
     * A random program of allocations (some aligned) and frees (by handle, inside a block, of freed blocks,
     * of offsets no block holds) records itself; the trace replays with the same outcome for every call and
     * the same final entries.
     */
    @ParameterizedTest(name = "{0} {1} capacity {2} seed {3}")
    @MethodSource("configurations")
    void aRecordedRandomProgramReplaysToTheSameOutcomesAndEntries(Fit fit, Coalescing coalescing, int capacity,
                                                                 long seed) throws IOException {
        recordAndReplay(new Program(seed, false), fit, coalescing, capacity, seed);
    }

    /**
     * The same with reallocations ({@code r} lines): runs once the trace parser reads {@code r} lines, which
     * are added to it separately; until then it is skipped, and the lines themselves are checked by
     * {@link #eachCallIsOneLineAndIdsAreFreshPerAllocationAndStablePerBlock()}.
     */
    @ParameterizedTest(name = "{0} {1} capacity {2} seed {3}")
    @MethodSource("configurations")
    void aRecordedProgramWithReallocationsReplaysToTheSameOutcomesAndEntries(Fit fit, Coalescing coalescing,
                                                                            int capacity, long seed) throws IOException {
        assumeTrue(parserReadsReallocations(), "the trace parser does not read 'r' lines yet");
        recordAndReplay(new Program(seed, true), fit, coalescing, capacity, seed);
    }

    /** Runs {@code program} through a recorder, replays the recording, and compares outcomes and entries. */
    private static void recordAndReplay(Program program, Fit fit, Coalescing coalescing, int capacity, long seed)
            throws IOException {
        StringWriter text = new StringWriter();
        FirstFitAllocator plain = allocator(capacity, fit, coalescing);
        try (TraceRecorder recorder = TraceRecorder.record(plain, text)) {
            program.run(recorder, 2000);
            assertTrue(recorder.isReplayable(), "seed " + seed);
        }
        ReplayResult result = TraceReplayer.replay(Trace.parse("recorded", text.toString()),
                allocator(capacity, fit, coalescing));
        assertEquals(program.outcomes, outcomeColumn(result), "seed " + seed);
        assertEquals(EntryList.of(plain).replayLines(), result.entries().replayLines(), "seed " + seed);
    }

    @Test
    void callsFromManyThreadsAreWrittenInTheOrderTheyTookEffect() throws Exception {
        int capacity = 1 << 16;
        FirstFitAllocator shared = FirstFitAllocator.builder(RawHeaps.allocate(capacity))
                .criticalSection(new CasSpinLock()).build();
        StringWriter text = new StringWriter();
        List<Integer> handles = Collections.synchronizedList(new ArrayList<>());
        try (TraceRecorder recorder = TraceRecorder.record(shared, text)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Void>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = 100 + t;
                    Callable<Void> worker = () -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        List<Integer> mine = new ArrayList<>();
                        for (int i = 0; i < 3000; i++) {
                            if (mine.isEmpty() || random.nextBoolean()) {
                                int handle = recorder.allocate(random.nextInt(1, 64), 1 << random.nextInt(4));
                                if (handle != Allocator.NULL) {
                                    mine.add(handle);
                                    handles.add(handle);
                                }
                            } else {
                                recorder.free(mine.remove(random.nextInt(mine.size())));
                            }
                        }
                        return null;
                    };
                    done.add(pool.submit(worker));
                }
                for (Future<Void> future : done) {
                    future.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        ReplayResult result = TraceReplayer.replay(Trace.parse("threads", text.toString()),
                allocator(capacity, Fit.FIRST, Coalescing.FORWARD));
        assertEquals(EntryList.of(shared).replayLines(), result.entries().replayLines());
        List<Integer> replayed = new ArrayList<>();
        for (int i = 0; i < result.completedOperations(); i++) {
            if (result.trace().operations().get(i).kind() == Trace.Kind.ALLOCATE && result.allocation(i) >= 0) {
                replayed.add(result.allocation(i));
            }
        }
        List<Integer> expected = new ArrayList<>(handles);
        Collections.sort(expected);
        Collections.sort(replayed);
        assertEquals(expected, replayed);
    }

    /** Whether {@link Trace} reads {@code r} lines (added to the parser separately from the recorder). */
    static boolean parserReadsReallocations() {
        try {
            Trace.parse("probe", "a x 4\nr x 8\n");
            return true;
        } catch (TraceFormatException e) {
            return false;
        }
    }

    /** The last field of every operation line of the replay output: an offset, null, ok, double-free, .... */
    static List<String> outcomeColumn(ReplayResult result) {
        List<String> outcomes = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (!line.startsWith("e ")) {
                outcomes.add(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return outcomes;
    }

    /**
     * A seeded random program that keeps, for every call that becomes a trace line, the outcome a replay
     * must print for it. Its first call is an unaligned allocation (handle 4) that it never frees or
     * reallocates itself, so an ID stays bound to 4, every offset it passes is at or above a bound handle,
     * and every call can be said in the trace.
     */
    static final class Program {
        final List<String> outcomes = new ArrayList<>();
        private final SplittableRandom random;
        private final boolean reallocations;

        Program(long seed, boolean reallocations) {
            this.random = new SplittableRandom(seed);
            this.reallocations = reallocations;
        }

        void run(Allocator allocator, int calls) {
            int capacity = allocator.heap().capacity();
            List<Integer> live = new ArrayList<>();
            List<Integer> dead = new ArrayList<>();
            allocate(allocator, 4, 1);
            for (int i = 1; i < calls; i++) {
                int choice = random.nextInt(100);
                if (live.isEmpty() || choice < 45) {
                    int handle = allocate(allocator, random.nextInt(0, capacity / 8 + 2),
                            random.nextInt(4) == 0 ? 1 << random.nextInt(7) : 1);
                    if (handle != Allocator.NULL) {
                        live.add(handle);
                    }
                } else if (choice < 75) {
                    int handle = live.remove(random.nextInt(live.size()));
                    int delta = random.nextInt(4) == 0 ? random.nextInt(allocator.usableSize(handle)) : 0;
                    free(allocator, handle + delta);
                    dead.add(handle);
                } else if (choice < 82 && !dead.isEmpty()) {
                    free(allocator, dead.get(random.nextInt(dead.size()))); // double free, or frees a newer block
                    live.removeIf(handle -> !isLive(allocator, handle));
                } else if (choice < 88) {
                    free(allocator, 4 + random.nextInt(capacity + 8)); // any offset: a block, a header, nothing
                    live.removeIf(handle -> !isLive(allocator, handle));
                } else if (reallocations) {
                    int index = random.nextInt(live.size());
                    int handle = live.get(index);
                    int moved = reallocate(allocator, handle, random.nextInt(0, capacity / 6 + 2),
                            random.nextInt(4) == 0 ? 1 << random.nextInt(6) : 1);
                    if (moved != Allocator.NULL) {
                        live.set(index, moved);
                    }
                }
            }
        }

        private int allocate(Allocator allocator, int size, int alignment) {
            int handle = allocator.allocate(size, alignment);
            outcomes.add(handle == Allocator.NULL ? "null" : Integer.toString(handle));
            return handle;
        }

        private int reallocate(Allocator allocator, int handle, int size, int alignment) {
            int moved = allocator.reallocate(handle, size, alignment);
            outcomes.add(moved == Allocator.NULL ? "null" : Integer.toString(moved));
            return moved;
        }

        private void free(Allocator allocator, int handle) {
            try {
                allocator.free(handle);
                outcomes.add("ok");
            } catch (DoubleFreeException e) {
                outcomes.add("double-free");
            } catch (InvalidFreeException e) {
                outcomes.add("not-found");
            }
        }

        private static boolean isLive(Allocator allocator, int handle) {
            try {
                allocator.usableSize(handle);
                return true;
            } catch (DoubleFreeException | InvalidFreeException e) {
                return false;
            }
        }
    }
}
