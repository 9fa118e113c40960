package io.github.emballoc.api.trace;

import static io.github.emballoc.api.trace.ReplayResult.FreeOutcome.DOUBLE_FREE;
import static io.github.emballoc.api.trace.ReplayResult.FreeOutcome.NOT_FOUND;
import static io.github.emballoc.api.trace.ReplayResult.FreeOutcome.OK;
import static io.github.emballoc.api.trace.ReplayResult.FreeOutcome.UNKNOWN_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapCorruptedException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TraceReplayer} and {@link ReplayResult}, against a {@link ScriptedAllocator}. */
class TraceReplayerTest {

    private static Trace trace(String text) {
        return Trace.parse("r.trace", text);
    }

    @Test
    void everyOutcomeIsMappedAndWrittenInTheReplayFormat() {
        Trace trace = trace("heap 64\n"
                + "a x 8\n"       // 0: ok at 4
                + "f x\n"         // 1: ok
                + "f x\n"         // 2: the allocator reports a double free
                + "a y 4 4\n"     // 3: at 16
                + "f y 2\n"       // 4: free(18): the allocator finds no block
                + "f never\n"     // 5: never bound: not passed to the allocator
                + "a w 100\n"     // 6: null
                + "f w\n");       // 7: bound to nothing: not passed to the allocator
        ScriptedAllocator allocator = new ScriptedAllocator(64)
                .allocate(8, 1, 4).free(4, OK).free(4, DOUBLE_FREE)
                .allocate(4, 4, 16).free(18, NOT_FOUND)
                .allocate(100, 1, Allocator.NULL)
                .entry(0, false, 12).entry(16, true, 4).entry(24, false, 36);

        ReplayResult result = TraceReplayer.replay(trace, allocator);
        allocator.assertDone();

        assertEquals("a x 4\nf x ok\nf x double-free\na y 16\nf y not-found\nf never unknown-id\na w null\n"
                + "f w unknown-id\ne 0 free 12\ne 16 used 4\ne 24 free 36\n", result.output());
        assertEquals(4, result.allocation(0));
        assertEquals(OK, result.free(1));
        assertEquals(DOUBLE_FREE, result.free(2));
        assertEquals(16, result.allocation(3));
        assertEquals(NOT_FOUND, result.free(4));
        assertEquals(UNKNOWN_ID, result.free(5));
        assertEquals(Allocator.NULL, result.allocation(6));
        assertEquals(UNKNOWN_ID, result.free(7));
        assertEquals(8, result.completedOperations());
        assertEquals(1, result.failedAllocations());
        assertEquals(64, result.heapSize());
        assertSame(trace, result.trace());
    }

    @Test
    void everyReallocationOutcomeIsMappedAndWrittenInTheReplayFormat() {
        Trace trace = trace("heap 64\n"
                + "a x 8\n"        // 0: at 4
                + "r x 16\n"       // 1: grows in place: still 4
                + "r x 24 8\n"     // 2: moves to 24
                + "r x 100\n"      // 3: does not fit: null, x stays bound to 24
                + "f x\n"          // 4: frees 24, the block the failed reallocation left bound
                + "r x 8\n"        // 5: the allocator finds 24 free: double-free
                + "a y 4\n"        // 6: at 40
                + "f y 1\n"        // 7: free(41) frees y's block
                + "r y 4\n"        // 8: the allocator finds no block at 40 now: not-found
                + "r never 4\n"    // 9: never bound: not passed to the allocator
                + "a z 200\n"      // 10: null, so z is unbound
                + "r z 4\n");      // 11: unknown-id, not reallocate(NULL, ...), which would allocate
        ScriptedAllocator allocator = new ScriptedAllocator(64)
                .allocate(8, 1, 4).reallocate(4, 16, 1, 4).reallocate(4, 24, 8, 24).reallocate(24, 100, 1, Allocator.NULL)
                .free(24, OK).reallocateRefused(24, 8, 1, DOUBLE_FREE)
                .allocate(4, 1, 40).free(41, OK).reallocateRefused(40, 4, 1, NOT_FOUND)
                .allocate(200, 1, Allocator.NULL)
                .entry(0, false, 60);

        ReplayResult result = TraceReplayer.replay(trace, allocator);
        allocator.assertDone();

        assertEquals("a x 4\nr x 4\nr x 24\nr x null\nf x ok\nr x double-free\na y 40\nf y ok\nr y not-found\n"
                + "r never unknown-id\na z null\nr z unknown-id\ne 0 free 60\n", result.output());
        assertEquals(4, result.reallocation(1));
        assertEquals(24, result.reallocation(2));
        assertEquals(Allocator.NULL, result.reallocation(3));
        assertEquals(OK, result.reallocationRefusal(3));
        assertEquals(DOUBLE_FREE, result.reallocationRefusal(5));
        assertEquals(NOT_FOUND, result.reallocationRefusal(8));
        assertEquals(UNKNOWN_ID, result.reallocationRefusal(9));
        assertEquals("operation 5 was refused: double-free",
                assertThrows(IllegalArgumentException.class, () -> result.reallocation(5)).getMessage());
        assertEquals("operation 0 is ALLOCATE, not REALLOCATE",
                assertThrows(IllegalArgumentException.class, () -> result.reallocation(0)).getMessage());
        assertEquals(2, result.failedAllocations(), "a null reallocation is a failed allocation");
    }

    @Test
    void aReallocationPassesTheHandleItselfEvenAtTheTopOfTheIntRange() {
        // r has no delta, so unlike f no sum can pass Integer.MAX_VALUE: the bound handle goes as it is.
        int handle = Integer.MAX_VALUE - 3;
        Trace trace = trace("a x 1\nr x 2\nf x 2147483647\nr x 3\n");
        ScriptedAllocator allocator = new ScriptedAllocator(16)
                .allocate(1, 1, handle).reallocate(handle, 2, 1, handle).reallocate(handle, 3, 1, Allocator.NULL);
        assertEquals("a x " + handle + "\nr x " + handle + "\nf x not-found\nr x null\n",
                TraceReplayer.replay(trace, allocator).output());
        allocator.assertDone();
    }

    @Test
    void stopAtFirstNullStopsAtAFailedReallocationToo() {
        Trace trace = trace("a x 8\nr x 64\na y 4\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).reallocate(4, 64, 1, Allocator.NULL)
                .entry(0, true, 8).entry(12, false, 16);
        ReplayResult result = TraceReplayer.replay(trace, allocator, true);
        allocator.assertDone();
        assertEquals("a x 4\nr x null\ne 0 used 8\ne 12 free 16\n", result.output());
        assertEquals(2, result.completedOperations());
    }

    @Test
    void aReallocationThatReturnsANegativeHandleOtherThanNullIsReported() {
        Trace trace = trace("a x 8\nr x 16 4\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).reallocate(4, 16, 4, -7);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TraceReplayer.replay(trace, allocator));
        assertEquals("r.trace:2: r x 16 4: the allocator returned -7, which is neither a handle (0 or more) nor"
                + " Allocator.NULL (-1)", e.getMessage());
    }

    @Test
    void aStreamedReplayWritesWhatTheReplayInMemoryWrites() throws IOException {
        String text = "heap 64\n# c\na x 8\nr x 16\nr x 24 8\nr x 100\nf x\nr x 8\na yy 4\nf yy 1\nr yy 4\n"
                + "r never 4\na z 200\nr z 4\nf x 2147483647\n"; // the last: 24 + delta overflows, not-found uncalled
        ScriptedAllocator inMemory = script();
        String expected = TraceReplayer.replay(trace(text), inMemory).output();
        inMemory.assertDone();

        ScriptedAllocator streamed = script();
        java.io.StringWriter out = new java.io.StringWriter();
        TraceReplayer.Session session;
        try (TraceReader reader = TraceReader.of("s.trace", new java.io.StringReader(text))) {
            session = TraceReplayer.replay(reader, streamed, out);
        }
        streamed.assertDone();
        assertEquals(expected, out.toString());
        assertEquals(13, session.operations());
        assertEquals(2, session.failedAllocations());
        assertSame(streamed, session.allocator());
    }

    private static ScriptedAllocator script() {
        return new ScriptedAllocator(64)
                .allocate(8, 1, 4).reallocate(4, 16, 1, 4).reallocate(4, 24, 8, 24).reallocate(24, 100, 1, Allocator.NULL)
                .free(24, OK).reallocateRefused(24, 8, 1, DOUBLE_FREE)
                .allocate(4, 1, 1234567890).free(1234567891, OK).reallocateRefused(1234567890, 4, 1, NOT_FOUND)
                .allocate(200, 1, Allocator.NULL)
                .entry(0, true, 8).entry(12, false, 48);
    }

    @Test
    void outcomeCodesAndWordsRoundTrip() {
        for (ReplayResult.FreeOutcome outcome : ReplayResult.FreeOutcome.values()) {
            assertSame(outcome, ReplayResult.FreeOutcome.ofCode(outcome.code()));
            assertTrue(outcome.code() < Allocator.NULL);
        }
        assertEquals("-1 is not the code of a free's outcome",
                assertThrows(IllegalArgumentException.class, () -> ReplayResult.FreeOutcome.ofCode(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReplayResult.FreeOutcome.ofCode(-6));
        assertEquals("12", ReplayResult.word(Trace.Kind.REALLOCATE, 12));
        assertEquals("null", ReplayResult.word(Trace.Kind.REALLOCATE, Allocator.NULL));
        assertEquals("not-found", ReplayResult.word(Trace.Kind.REALLOCATE, NOT_FOUND.code()));
        assertThrows(IllegalArgumentException.class, () -> ReplayResult.word(Trace.Kind.REALLOCATE, OK.code()));
        assertThrows(IllegalArgumentException.class, () -> ReplayResult.word(Trace.Kind.ALLOCATE, NOT_FOUND.code()));
        assertThrows(IllegalArgumentException.class, () -> ReplayResult.word(Trace.Kind.FREE, 12));
    }

    @Test
    void aLaterAllocationRebindsTheIdAndANullOneUnbindsIt() {
        Trace trace = trace("a x 8\na x 8\nf x\na x 8\nf x\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32)
                .allocate(8, 1, 4).allocate(8, 1, 16).free(16, OK)
                .allocate(8, 1, Allocator.NULL);
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        allocator.assertDone();
        assertEquals("a x 4\na x 16\nf x ok\na x null\nf x unknown-id\n", result.output(),
                "a failed allocation drops the earlier binding too");
    }

    @Test
    void freeingDoesNotUnbindSoASecondFreeReachesTheAllocator() {
        Trace trace = trace("a x 8\nf x\na y 8\nf x\n");
        // as a real double free would, the second free of x frees whatever now holds offset 4: y's block
        ScriptedAllocator allocator = new ScriptedAllocator(32)
                .allocate(8, 1, 4).free(4, OK).allocate(8, 1, 4).free(4, OK);
        assertEquals("a x 4\nf x ok\na y 4\nf x ok\n", TraceReplayer.replay(trace, allocator).output());
        allocator.assertDone();
    }

    @Test
    void aHandlePlusDeltaPastTheLargestIntIsNotFoundWithoutAskingTheAllocator() {
        int handle = Integer.MAX_VALUE - 100;
        Trace trace = trace("a x 8\nf x 101\nf x 100\nf x 2147483647\n");
        ScriptedAllocator allocator = new ScriptedAllocator(16)
                .allocate(8, 1, handle)
                .free(Integer.MAX_VALUE, NOT_FOUND);
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        allocator.assertDone();
        assertEquals("a x " + handle + "\nf x not-found\nf x not-found\nf x not-found\n", result.output());
    }

    @Test
    void aDeltaIsAddedToTheHandle() {
        Trace trace = trace("a x 16 8\nf x 7\n");
        ScriptedAllocator allocator = new ScriptedAllocator(64).allocate(16, 8, 8).free(15, OK);
        assertEquals("a x 8\nf x ok\n", TraceReplayer.replay(trace, allocator).output());
        allocator.assertDone();
    }

    @Test
    void stopAtFirstNullStopsAfterTheFailedAllocationAndStillRecordsTheEntries() {
        Trace trace = trace("a x 8\na y 64\nf x\na z 4\n");
        ScriptedAllocator stopping = new ScriptedAllocator(32)
                .allocate(8, 1, 4).allocate(64, 1, Allocator.NULL)
                .entry(0, true, 8).entry(12, false, 16);
        ReplayResult stopped = TraceReplayer.replay(trace, stopping, true);
        stopping.assertDone();
        assertEquals("a x 4\na y null\ne 0 used 8\ne 12 free 16\n", stopped.output());
        assertEquals(2, stopped.completedOperations());
        assertEquals(1, stopped.failedAllocations());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stopped.free(2));
        assertEquals("operation 2 was not replayed (2 were)", e.getMessage());

        ScriptedAllocator going = new ScriptedAllocator(32)
                .allocate(8, 1, 4).allocate(64, 1, Allocator.NULL).free(4, OK).allocate(4, 1, 4)
                .entry(0, true, 4).entry(8, false, 20);
        ReplayResult all = TraceReplayer.replay(trace, going, false);
        going.assertDone();
        assertEquals("a x 4\na y null\nf x ok\na z 4\ne 0 used 4\ne 8 free 20\n", all.output());
        assertEquals(4, all.completedOperations());
    }

    @Test
    void stopAtFirstNullReplaysEverythingWhenNothingFails() {
        Trace trace = trace("a x 8\nf x\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).free(4, OK);
        ReplayResult result = TraceReplayer.replay(trace, allocator, true);
        assertEquals(2, result.completedOperations());
        assertEquals(0, result.failedAllocations());
        assertEquals("a x 4\nf x ok\n", result.output());
    }

    @Test
    void otherExceptionsFromTheAllocatorPropagate() {
        Trace trace = trace("a x 8\nf x\na y 4\n");
        HeapCorruptedException corrupt = new HeapCorruptedException(0, "bad");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).freeThrows(4, corrupt);
        assertSame(corrupt, assertThrows(HeapCorruptedException.class, () -> TraceReplayer.replay(trace, allocator)));
    }

    @Test
    void anAllocatorThatReturnsANegativeHandleOtherThanNullIsReported() {
        Trace trace = trace("a x 8\na y 8\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).allocate(8, 1, -2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TraceReplayer.replay(trace, allocator));
        assertEquals("r.trace:2: a y 8: the allocator returned -2, which is neither a handle (0 or more) nor"
                + " Allocator.NULL (-1)", e.getMessage());
    }

    @Test
    void anEmptyTraceGivesOnlyTheEntries() {
        ScriptedAllocator allocator = new ScriptedAllocator(32).entry(0, false, 28);
        ReplayResult result = TraceReplayer.replay(trace("heap 32\n"), allocator);
        allocator.assertDone();
        assertEquals("e 0 free 28\n", result.output());
        assertEquals(0, result.completedOperations());
    }

    @Test
    void entriesAreRecordedInWalkOrderHoweverManyThereAre() throws IOException {
        ScriptedAllocator allocator = new ScriptedAllocator(4096);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            boolean used = i % 3 != 0;
            allocator.entry(40 * i, used, 36 - i % 5);
            expected.append("e ").append(40 * i).append(used ? " used " : " free ").append(36 - i % 5).append('\n');
        }
        ReplayResult result = TraceReplayer.replay(trace(""), allocator);
        assertEquals(100, result.entries().count());
        assertEquals(expected.toString(), result.output());
        StringBuilder entriesOnly = new StringBuilder();
        result.entries().writeTo(entriesOnly);
        assertEquals(expected.toString(), entriesOnly.toString());
        assertEquals(40 * 99, result.entries().offset(99));
        assertTrue(result.entries().used(98));
        assertFalse(result.entries().used(99));
        assertEquals(36 - 99 % 5, result.entries().size(99));
        assertThrows(IndexOutOfBoundsException.class, () -> result.entries().offset(100));
        assertThrows(IndexOutOfBoundsException.class, () -> result.entries().used(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> result.entries().size(100));
    }

    @Test
    void writeToAndWriteEntriesToSplitTheOutput() throws IOException {
        Trace trace = trace("a x 8\n");
        ScriptedAllocator allocator = new ScriptedAllocator(32).allocate(8, 1, 4).entry(0, true, 8)
                .entry(12, false, 16);
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        StringBuilder all = new StringBuilder();
        result.writeTo(all);
        StringBuilder entries = new StringBuilder();
        result.entries().writeTo(entries);
        assertEquals("a x 4\ne 0 used 8\ne 12 free 16\n", all.toString());
        assertEquals("e 0 used 8\ne 12 free 16\n", entries.toString());
        assertEquals(all.toString(), result.output());
    }

    @Test
    void accessorsRefuseOperationsOfTheOtherKindOrOutOfRange() {
        Trace trace = trace("a x 8\nf x\n");
        ReplayResult result = TraceReplayer.replay(trace,
                new ScriptedAllocator(32).allocate(8, 1, 4).free(4, OK));
        assertEquals("operation 1 is FREE, not ALLOCATE",
                assertThrows(IllegalArgumentException.class, () -> result.allocation(1)).getMessage());
        assertEquals("operation 0 is ALLOCATE, not FREE",
                assertThrows(IllegalArgumentException.class, () -> result.free(0)).getMessage());
        assertEquals("operation -1 was not replayed (2 were)",
                assertThrows(IllegalArgumentException.class, () -> result.allocation(-1)).getMessage());
        assertEquals("operation 2 was not replayed (2 were)",
                assertThrows(IllegalArgumentException.class, () -> result.free(2)).getMessage());
    }

    @Test
    void theOutcomeWordsAreThoseOfTheReplayFormat() {
        assertEquals(List.of("ok", "double-free", "not-found", "unknown-id"),
                List.of(OK.word(), DOUBLE_FREE.word(), NOT_FOUND.word(), UNKNOWN_ID.word()));
    }

    @Test
    void nullsAreRefused() {
        ScriptedAllocator allocator = new ScriptedAllocator(8);
        assertThrows(NullPointerException.class, () -> TraceReplayer.replay(null, allocator));
        assertThrows(NullPointerException.class, () -> TraceReplayer.replay(trace(""), null));
        assertThrows(NullPointerException.class, () -> TraceReplayer.replay(trace(""), null, true));
    }
}
