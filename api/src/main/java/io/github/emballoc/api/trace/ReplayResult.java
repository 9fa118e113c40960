package io.github.emballoc.api.trace;

import io.github.emballoc.api.EntryList;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What replaying a {@link Trace} did: the outcome of every operation and the entries of the final heap,
 * written out in the replay output format by {@link #writeTo(Appendable)}:
 *
 * <pre>
 * a ID OFFSET          the allocation succeeded at payload offset OFFSET
 * a ID null            no free entry fits; ID is left unbound
 * f ID ok              the block was freed
 * f ID double-free     the block at that offset is already free
 * f ID not-found       no block holds that offset
 * f ID unknown-id      ID is not bound (never allocated, or its allocation failed)
 * e OFFSET used SIZE   a used entry: header at OFFSET, payload SIZE bytes
 * e OFFSET free SIZE   a free entry
 * </pre>
 *
 * <p>Outcomes are kept in one {@code int} per operation, so a result of a million operations costs a few
 * megabytes.
 *
 * <p>Threads: immutable once returned by {@link TraceReplayer}; may be read from any thread.
 */
public final class ReplayResult {

    /** How a free ended. */
    public enum FreeOutcome {
        /** The block was freed. */
        OK("ok"),
        /** The offset lies in an entry that is already free. */
        DOUBLE_FREE("double-free"),
        /** No block holds the offset. */
        NOT_FOUND("not-found"),
        /** The ID is not bound: never allocated, or its allocation failed. */
        UNKNOWN_ID("unknown-id");

        private final String word;

        FreeOutcome(String word) {
            this.word = word;
        }

        /**
         * Returns the word the replay output uses.
         *
         * @return for example {@code double-free}
         */
        public String word() {
            return word;
        }
    }

    private static final FreeOutcome[] OUTCOMES = FreeOutcome.values();

    private final Trace trace;
    private final int heapSize;
    private final int[] results;
    private final EntryList entries;
    private final int failedAllocations;
    private final int completed;

    ReplayResult(Trace trace, int heapSize, int[] results, int completed, EntryList entries, int failedAllocations) {
        this.trace = trace;
        this.heapSize = heapSize;
        this.results = results;
        this.completed = completed;
        this.entries = entries;
        this.failedAllocations = failedAllocations;
    }

    /**
     * Encodes a free outcome in the per-operation result array: allocations store their handle (0 or more)
     * or -1; frees store {@code -2 - ordinal}.
     */
    static int encode(FreeOutcome outcome) {
        return -2 - outcome.ordinal();
    }

    /**
     * Returns the trace that was replayed.
     *
     * @return the trace
     */
    public Trace trace() {
        return trace;
    }

    /**
     * Returns the heap size the trace was replayed on.
     *
     * @return bytes
     */
    public int heapSize() {
        return heapSize;
    }

    /**
     * Returns how many operations were replayed: all of them, unless the replay was asked to stop at the
     * first failed allocation and one failed (then it counts the failed one too).
     *
     * @return the number of operations replayed
     */
    public int completedOperations() {
        return completed;
    }

    /**
     * Returns how many allocations returned null.
     *
     * @return the count
     */
    public int failedAllocations() {
        return failedAllocations;
    }

    /**
     * Returns the handle an allocation returned.
     *
     * @param index the operation's index in {@link Trace#operations()}
     * @return the payload offset, or {@link io.github.emballoc.api.Allocator#NULL}
     * @throws IllegalArgumentException if the operation is not an allocation or was not replayed
     */
    public int allocation(int index) {
        checkReplayed(index, Trace.Kind.ALLOCATE);
        return results[index];
    }

    /**
     * Returns how a free ended.
     *
     * @param index the operation's index in {@link Trace#operations()}
     * @return the outcome
     * @throws IllegalArgumentException if the operation is not a free or was not replayed
     */
    public FreeOutcome free(int index) {
        checkReplayed(index, Trace.Kind.FREE);
        return OUTCOMES[-2 - results[index]];
    }

    /**
     * Returns the entries of the final heap, in walk order.
     *
     * @return the entries, recorded by one walk after the last operation replayed
     */
    public EntryList entries() {
        return entries;
    }

    /**
     * Writes the replay output: one line per replayed operation, then one line per entry of the final heap,
     * each ended by {@code \n}.
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void writeTo(Appendable out) throws IOException {
        for (int i = 0; i < completed; i++) {
            Trace.Operation op = trace.operations().get(i);
            if (op.kind() == Trace.Kind.ALLOCATE) {
                out.append("a ").append(op.id()).append(' ');
                int handle = results[i];
                if (handle < 0) {
                    out.append("null");
                } else {
                    out.append(Integer.toString(handle));
                }
            } else {
                out.append("f ").append(op.id()).append(' ').append(OUTCOMES[-2 - results[i]].word());
            }
            out.append('\n');
        }
        entries.writeTo(out);
    }

    /**
     * Returns the replay output as a string (see {@link #writeTo(Appendable)}).
     *
     * @return the output
     */
    public String output() {
        StringBuilder out = new StringBuilder(completed * 12 + entries.count() * 16);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder failed", e);
        }
        return out.toString();
    }

    private void checkReplayed(int index, Trace.Kind kind) {
        if (index < 0 || index >= completed) {
            throw new IllegalArgumentException("operation " + index + " was not replayed (" + completed
                    + " were)");
        }
        Trace.Kind actual = trace.operations().get(index).kind();
        if (actual != kind) {
            throw new IllegalArgumentException("operation " + index + " is " + actual + ", not " + kind);
        }
    }
}
