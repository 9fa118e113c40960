package io.github.emballoc.api.trace;

import io.github.emballoc.api.Allocator;
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
 * r ID OFFSET          the reallocation succeeded; the block now starts at payload offset OFFSET
 * r ID null            it did not fit; the old block is untouched and ID still bound to it
 * r ID double-free     the block at that offset is free (as for f); nothing changes
 * r ID not-found       no block holds that offset; nothing changes
 * r ID unknown-id      ID is not bound
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

    /** How a free ended, or why a reallocation was refused. */
    public enum FreeOutcome {
        /** The block was freed. */
        OK("ok"),
        /** The offset lies in an entry that is already free. */
        DOUBLE_FREE("double-free"),
        /** No block holds the offset. */
        NOT_FOUND("not-found"),
        /** The ID is not bound: never allocated, or its allocation failed. */
        UNKNOWN_ID("unknown-id");

        private static final FreeOutcome[] OUTCOMES = values();

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

        /**
         * Returns the outcome code a {@link TraceReplayer.Session} returns for this outcome: {@code -2 - ordinal},
         * below every handle and below {@link io.github.emballoc.api.Allocator#NULL}.
         *
         * @return -2 for {@code OK}, -3, -4, -5 for the others
         */
        public int code() {
            return -2 - ordinal();
        }

        /**
         * Returns the outcome with a given code.
         *
         * @param code a code from {@link #code()}
         * @return the outcome
         * @throws IllegalArgumentException if no outcome has that code
         */
        public static FreeOutcome ofCode(int code) {
            int ordinal = -2 - code;
            if (ordinal < 0 || ordinal >= OUTCOMES.length) {
                throw new IllegalArgumentException(code + " is not the code of a free's outcome");
            }
            return OUTCOMES[ordinal];
        }
    }

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
     * The word of the replay output for an outcome: the handle, {@code null}, or a free's outcome word.
     *
     * @throws IllegalArgumentException if a free has a handle as its outcome, or a reallocation {@code OK}
     */
    static String word(Trace.Kind kind, int outcome) {
        if (kind == Trace.Kind.FREE) {
            if (outcome >= Allocator.NULL) {
                throw new IllegalArgumentException("a free has no handle as its outcome: " + outcome);
            }
            return FreeOutcome.ofCode(outcome).word();
        }
        if (outcome >= 0) {
            return Integer.toString(outcome);
        }
        if (outcome == Allocator.NULL) {
            return "null";
        }
        if (kind == Trace.Kind.ALLOCATE || outcome == FreeOutcome.OK.code()) {
            throw new IllegalArgumentException("not an outcome of " + kind + ": " + outcome);
        }
        return FreeOutcome.ofCode(outcome).word();
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
     * Returns what a reallocation returned.
     *
     * @param index the operation's index in {@link Trace#operations()}
     * @return the block's handle after it (the ID is bound to it), or
     *     {@link io.github.emballoc.api.Allocator#NULL} when it did not fit (the ID kept its old block)
     * @throws IllegalArgumentException if the operation is not a reallocation, was not replayed, or was
     *     refused ({@link #reallocationRefusal(int)} says why)
     */
    public int reallocation(int index) {
        checkReplayed(index, Trace.Kind.REALLOCATE);
        int result = results[index];
        if (result < Allocator.NULL) {
            throw new IllegalArgumentException("operation " + index + " was refused: "
                    + FreeOutcome.ofCode(result).word());
        }
        return result;
    }

    /**
     * Returns why a reallocation was refused, if it was.
     *
     * @param index the operation's index in {@link Trace#operations()}
     * @return {@link FreeOutcome#OK} when the allocator took the handle (see {@link #reallocation(int)}), else
     *     {@code DOUBLE_FREE}, {@code NOT_FOUND} or {@code UNKNOWN_ID}
     * @throws IllegalArgumentException if the operation is not a reallocation or was not replayed
     */
    public FreeOutcome reallocationRefusal(int index) {
        checkReplayed(index, Trace.Kind.REALLOCATE);
        int result = results[index];
        return result < Allocator.NULL ? FreeOutcome.ofCode(result) : FreeOutcome.OK;
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
        return FreeOutcome.ofCode(results[index]);
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
            Trace.Kind kind = trace.kind(i);
            out.append(kind == Trace.Kind.ALLOCATE ? "a " : kind == Trace.Kind.FREE ? "f " : "r ")
                    .append(trace.id(trace.idIndex(i))).append(' ').append(word(kind, results[i])).append('\n');
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
        Trace.Kind actual = trace.kind(index);
        if (actual != kind) {
            throw new IllegalArgumentException("operation " + index + " is " + actual + ", not " + kind);
        }
    }
}
