package io.github.emballoc.benchmarks.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subjects;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

    @Test
    void theTraceHasItsOperationsAndEveryFreeFindsItsBlock() {
        Trace trace = TraceGenerator.trace(1);
        assertEquals(TraceGenerator.OPERATIONS, trace.operations().size());
        assertEquals(TraceGenerator.HEAP, trace.resolveHeapSize(OptionalInt.empty()));
        ReplayResult result = TraceReplayer.replay(trace, Subjects.emballoc("firstfit-best", Sharing.CONFINED)
                .apply(RawHeaps.allocate(TraceGenerator.HEAP)));
        assertEquals(TraceGenerator.OPERATIONS, result.completedOperations());
        assertEquals(0, result.failedAllocations(), "the heap is large enough");
        int allocations = 0;
        int live = 0;
        int maxLive = 0;
        for (int i = 0; i < trace.operations().size(); i++) {
            if (trace.operations().get(i).kind() == Trace.Kind.ALLOCATE) {
                allocations++;
                live++;
                maxLive = Math.max(maxLive, live);
            } else {
                assertEquals(ReplayResult.FreeOutcome.OK, result.free(i), "operation " + i);
                live--;
            }
        }
        assertTrue(live > TraceGenerator.TARGET_LIVE * 0.8 && live < TraceGenerator.TARGET_LIVE * 1.2,
                "live blocks at the end: " + live);
        assertTrue(maxLive < TraceGenerator.TARGET_LIVE * 1.3, "most live blocks: " + maxLive);
        assertTrue(allocations > TraceGenerator.OPERATIONS / 2, "allocations: " + allocations);
    }

    @Test
    void theSameSeedWritesTheSameTrace() {
        assertEquals(TraceGenerator.text(5), TraceGenerator.text(5));
        assertTrue(!TraceGenerator.text(5).equals(TraceGenerator.text(6)));
    }
}
