package io.github.emballoc.api.trace;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake {@link Allocator} that expects an exact sequence of calls and answers each as scripted: an
 * allocation returns its scripted handle, a free returns or throws its scripted exception, and a walk reports
 * the scripted entries. A call that is not the next one expected fails with an {@link AssertionError} naming
 * the call and the step, so a test sees exactly which calls the replayer made.
 */
final class ScriptedAllocator implements Allocator {

    private record Step(String call, int result, RuntimeException thrown) {
    }

    private final RawHeap heap;
    private final List<Step> steps = new ArrayList<>();
    private final List<int[]> entries = new ArrayList<>();
    private int next;
    private int walks;

    ScriptedAllocator(int capacity) {
        this.heap = RawHeaps.allocate(capacity);
    }

    ScriptedAllocator allocate(int size, int alignment, int returns) {
        steps.add(new Step("allocate(" + size + ", " + alignment + ")", returns, null));
        return this;
    }

    ScriptedAllocator free(int handle, ReplayResult.FreeOutcome outcome) {
        RuntimeException thrown = switch (outcome) {
            case OK -> null;
            case DOUBLE_FREE -> new DoubleFreeException(handle, handle - 4, 8);
            case NOT_FOUND -> new InvalidFreeException(handle, heap.capacity());
            case UNKNOWN_ID -> throw new IllegalArgumentException("unknown-id never reaches the allocator");
        };
        steps.add(new Step("free(" + handle + ")", 0, thrown));
        return this;
    }

    /** Expects {@code reallocate(handle, size, alignment)} and answers {@code returns}. */
    ScriptedAllocator reallocate(int handle, int size, int alignment, int returns) {
        steps.add(new Step("reallocate(" + handle + ", " + size + ", " + alignment + ")", returns, null));
        return this;
    }

    /** Expects {@code reallocate(handle, size, alignment)} and refuses it as a free would refuse the handle. */
    ScriptedAllocator reallocateRefused(int handle, int size, int alignment, ReplayResult.FreeOutcome outcome) {
        RuntimeException thrown = switch (outcome) {
            case DOUBLE_FREE -> new DoubleFreeException(handle, handle - 4, 8);
            case NOT_FOUND -> new InvalidFreeException(handle, heap.capacity());
            default -> throw new IllegalArgumentException(outcome + " is not a refusal the allocator makes");
        };
        steps.add(new Step("reallocate(" + handle + ", " + size + ", " + alignment + ")", 0, thrown));
        return this;
    }

    ScriptedAllocator freeThrows(int handle, RuntimeException thrown) {
        steps.add(new Step("free(" + handle + ")", 0, thrown));
        return this;
    }

    ScriptedAllocator entry(int offset, boolean used, int size) {
        entries.add(new int[] {offset, used ? 1 : 0, size});
        return this;
    }

    /** Fails unless every scripted call was made, and the heap was walked exactly once. */
    void assertDone() {
        if (next != steps.size()) {
            throw new AssertionError("only " + next + " of " + steps.size() + " scripted calls were made; the next is "
                    + steps.get(next).call());
        }
        if (walks != 1) {
            throw new AssertionError("the heap was walked " + walks + " times, not once");
        }
    }

    private Step expect(String call) {
        if (next >= steps.size()) {
            throw new AssertionError("unexpected call " + call + " after all " + steps.size() + " scripted calls");
        }
        Step step = steps.get(next);
        if (!step.call().equals(call)) {
            throw new AssertionError("call " + next + ": expected " + step.call() + " but the replayer made " + call);
        }
        next++;
        return step;
    }

    @Override
    public RawHeap heap() {
        return heap;
    }

    @Override
    public int allocate(int size, int alignment) {
        return expect("allocate(" + size + ", " + alignment + ")").result();
    }

    @Override
    public void free(int handle) {
        Step step = expect("free(" + handle + ")");
        if (step.thrown() != null) {
            throw step.thrown();
        }
    }

    @Override
    public HeapStats stats() {
        HeapStats.Accumulator accumulator = new HeapStats.Accumulator();
        walkEntries(accumulator);
        return accumulator.toStats(heap.capacity());
    }

    @Override
    public void walk(EntryVisitor visitor) {
        walks++;
        walkEntries(visitor);
    }

    private void walkEntries(EntryVisitor visitor) {
        for (int[] entry : entries) {
            visitor.visit(entry[0], entry[1] != 0, entry[2]);
        }
    }

    @Override
    public void verify() {
        throw new AssertionError("a replay never verifies the heap");
    }

    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        Step step = expect("reallocate(" + handle + ", " + newSize + ", " + alignment + ")");
        if (step.thrown() != null) {
            throw step.thrown();
        }
        return step.result();
    }

    @Override
    public int usableSize(int handle) {
        throw new AssertionError("a replay never asks for a usable size");
    }

    @Override
    public int coalesce() {
        throw new AssertionError("a replay never coalesces");
    }
}
