package io.github.emballoc.api.trace;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.InvalidFreeException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Replays a {@link Trace} against any {@link Allocator}.
 *
 * <ul>
 *   <li>{@code a ID SIZE ALIGN} calls {@code allocate(SIZE, ALIGN)} and binds the handle to ID; a
 *       {@link Allocator#NULL} result leaves ID unbound (an earlier binding of ID is dropped too).</li>
 *   <li>{@code f ID DELTA} calls {@code free(handle + DELTA)} when ID is bound, and does not unbind it, so a
 *       second free of the same ID reaches the allocator (which reports a double free, or frees whatever
 *       block now holds that offset, as a real double free would). {@link DoubleFreeException} becomes
 *       {@code double-free}, {@link InvalidFreeException} {@code not-found}. A handle plus delta past
 *       {@link Integer#MAX_VALUE} can lie in no block and is {@code not-found} without a call.</li>
 *   <li>Any other exception from the allocator (for example a corrupt heap) propagates. An allocation that
 *       returns a negative handle other than {@link Allocator#NULL} breaks the allocator's contract and is
 *       reported with {@link IllegalStateException} rather than written as {@code null}.</li>
 * </ul>
 *
 * <p>Threads: stateless; each call uses only its arguments. The allocator's own thread rules apply.
 */
public final class TraceReplayer {

    private TraceReplayer() {
    }

    /**
     * Replays every operation, then records the final heap's entries.
     *
     * @param trace the trace
     * @param allocator a fresh allocator (or one in whatever state the replay should start from)
     * @return the outcomes and the final entries
     * @throws IllegalStateException if the allocator returns a negative handle other than {@link Allocator#NULL}
     */
    public static ReplayResult replay(Trace trace, Allocator allocator) {
        return replay(trace, allocator, false);
    }

    /**
     * Replays the trace, stopping after the first failed allocation when asked (useful to test whether a
     * heap size is large enough without replaying the rest), then records the heap's entries.
     *
     * @param trace the trace
     * @param allocator the allocator
     * @param stopAtFirstNull whether to stop after the first allocation that returns null
     * @return the outcomes and the final entries
     * @throws IllegalStateException if the allocator breaks its contract by returning a negative handle other
     *     than {@link Allocator#NULL} (the message names the trace line)
     */
    public static ReplayResult replay(Trace trace, Allocator allocator, boolean stopAtFirstNull) {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(allocator, "allocator");
        List<Trace.Operation> operations = trace.operations();
        int n = operations.size();
        int[] results = new int[n];
        int[] bound = new int[trace.idCount()];
        Arrays.fill(bound, Allocator.NULL);
        int failed = 0;
        int completed = 0;
        for (int i = 0; i < n; i++) {
            Trace.Operation op = operations.get(i);
            if (op.kind() == Trace.Kind.ALLOCATE) {
                int handle = allocator.allocate(op.size(), op.alignment());
                if (handle < 0 && handle != Allocator.NULL) {
                    throw new IllegalStateException(trace.source() + ":" + op.line() + ": " + op.toTraceLine()
                            + ": the allocator returned " + handle
                            + ", which is neither a handle (0 or more) nor Allocator.NULL (-1)");
                }
                bound[op.idIndex()] = handle;
                results[i] = handle;
                completed = i + 1;
                if (handle == Allocator.NULL) {
                    failed++;
                    if (stopAtFirstNull) {
                        break;
                    }
                }
            } else {
                results[i] = ReplayResult.encode(free(allocator, bound[op.idIndex()], op.delta()));
                completed = i + 1;
            }
        }
        return new ReplayResult(trace, allocator.heap().capacity(), results, completed, EntryList.of(allocator),
                failed);
    }

    private static ReplayResult.FreeOutcome free(Allocator allocator, int handle, int delta) {
        if (handle == Allocator.NULL) {
            return ReplayResult.FreeOutcome.UNKNOWN_ID;
        }
        long target = (long) handle + delta;
        if (target > Integer.MAX_VALUE) {
            return ReplayResult.FreeOutcome.NOT_FOUND;
        }
        try {
            allocator.free((int) target);
            return ReplayResult.FreeOutcome.OK;
        } catch (DoubleFreeException e) {
            return ReplayResult.FreeOutcome.DOUBLE_FREE;
        } catch (InvalidFreeException e) {
            return ReplayResult.FreeOutcome.NOT_FOUND;
        }
    }
}
