package io.github.emballoc.api.trace;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.InvalidFreeException;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Replays a trace against any {@link Allocator}: a {@link Trace} in memory, whose outcomes are kept in a
 * {@link ReplayResult}, or a {@link TraceReader} streamed line by line, whose outcomes are written out as they
 * happen ({@link #replay(TraceReader, Allocator, Writer)}) or handed to the caller one at a time
 * ({@link Session}).
 *
 * <ul>
 *   <li>{@code a ID SIZE ALIGN} calls {@code allocate(SIZE, ALIGN)} and binds the handle to ID; a
 *       {@link Allocator#NULL} result leaves ID unbound (an earlier binding of ID is dropped too).</li>
 *   <li>{@code f ID DELTA} calls {@code free(handle + DELTA)} when ID is bound, and does not unbind it, so a
 *       second free of the same ID reaches the allocator (which reports a double free, or frees whatever
 *       block now holds that offset, as a real double free would). {@link DoubleFreeException} becomes
 *       {@code double-free}, {@link InvalidFreeException} {@code not-found}. A handle plus delta past
 *       {@link Integer#MAX_VALUE} can lie in no block and is {@code not-found} without a call.</li>
 *   <li>{@code r ID SIZE ALIGN} calls {@code reallocate(handle, SIZE, ALIGN)} when ID is bound (with the
 *       handle itself: {@code r} has no delta, so no sum can overflow) and binds ID to the result; a
 *       {@link Allocator#NULL} result keeps the old binding, as the old block is untouched. The allocator's
 *       refusals are {@code double-free} and {@code not-found} as for {@code f}; an unbound ID is
 *       {@code unknown-id} and never reaches the allocator (so {@code reallocate(NULL, ...)}, which would
 *       allocate, is never called).</li>
 *   <li>Any other exception from the allocator (for example a corrupt heap) propagates. An allocation or
 *       reallocation that returns a negative handle other than {@link Allocator#NULL} breaks the allocator's
 *       contract and is reported with {@link IllegalStateException} rather than written as {@code null}.</li>
 * </ul>
 *
 * <p>Threads: the static methods are stateless; each call uses only its arguments. A {@link Session} belongs
 * to one thread. The allocator's own thread rules apply.
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
     * Replays the trace, stopping after the first failed allocation or reallocation when asked (useful to test
     * whether a heap size is large enough without replaying the rest), then records the heap's entries.
     *
     * @param trace the trace
     * @param allocator the allocator
     * @param stopAtFirstNull whether to stop after the first allocation or reallocation that returns null
     * @return the outcomes and the final entries
     * @throws IllegalStateException if the allocator breaks its contract by returning a negative handle other
     *     than {@link Allocator#NULL} (the message names the trace line)
     */
    public static ReplayResult replay(Trace trace, Allocator allocator, boolean stopAtFirstNull) {
        Objects.requireNonNull(trace, "trace");
        Session session = new Session(allocator, trace.idCount());
        int n = trace.operationCount();
        int[] results = new int[n];
        int completed = 0;
        for (int i = 0; i < n; i++) {
            int outcome = session.replay(trace, i);
            results[i] = outcome;
            completed = i + 1;
            if (stopAtFirstNull && outcome == Allocator.NULL) {
                break;
            }
        }
        return new ReplayResult(trace, allocator.heap().capacity(), results, completed, EntryList.of(allocator),
                session.failedAllocations());
    }

    /**
     * Replays a trace as it is read, writing one line of the replay output per operation as it happens, then
     * one per entry of the final heap. Memory stays constant (the reader keeps one line, the session one handle
     * per ID), so a trace larger than memory can be replayed; a line that breaks the format stops the replay
     * with the lines before it already replayed and written, so check the trace first (read it to its end with
     * another reader) when nothing may be replayed from a malformed trace.
     *
     * @param reader the trace, before its first operation
     * @param allocator the allocator
     * @param out where the replay output goes
     * @return the session, for its counts
     * @throws IOException if reading the trace or writing the output fails
     * @throws TraceFormatException if a line breaks the format
     * @throws IllegalStateException if the allocator returns a negative handle other than {@link Allocator#NULL}
     */
    public static Session replay(TraceReader reader, Allocator allocator, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        Session session = new Session(allocator, 16);
        while (reader.next()) {
            session.write(reader, session.replay(reader), out);
        }
        EntryList.of(allocator).writeTo(out);
        return session;
    }

    /**
     * A replay in progress, one operation at a time: the handle bound to each ID, and the counts. Each call
     * returns the operation's <em>outcome</em>, one {@code int}:
     * <ul>
     *   <li>0 or more: the handle an allocation or reallocation returned;</li>
     *   <li>{@link Allocator#NULL}: an allocation or reallocation that did not fit;</li>
     *   <li>{@link ReplayResult.FreeOutcome#code()} of a free's outcome, or of a reallocation's refusal
     *       ({@code double-free}, {@code not-found}, {@code unknown-id}).</li>
     * </ul>
     * Replaying one operation of a streamed trace creates no object.
     *
     * <p>Threads: not thread-safe; one thread replays a session.
     */
    public static final class Session {

        private final Allocator allocator;
        private int[] bound;
        private long operations;
        private int failedAllocations;
        private char[] line = new char[64];

        /**
         * Starts a replay against an allocator, with no ID bound.
         *
         * @param allocator the allocator
         * @throws NullPointerException if {@code allocator} is {@code null}
         */
        public Session(Allocator allocator) {
            this(allocator, 16);
        }

        Session(Allocator allocator, int ids) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            bound = new int[Math.max(1, ids)];
            Arrays.fill(bound, Allocator.NULL);
        }

        /**
         * Replays the reader's current operation.
         *
         * @param reader a reader on an operation
         * @return the outcome
         * @throws IllegalStateException if the reader has no current operation, or the allocator returns a
         *     negative handle other than {@link Allocator#NULL}
         */
        public int replay(TraceReader reader) {
            return replay(reader.kind(), reader.idIndex(), reader.size(), reader.alignment(), reader.delta(),
                    reader, 0);
        }

        /**
         * Replays one operation of a trace in memory.
         *
         * @param trace the trace
         * @param index the operation's index
         * @return the outcome
         * @throws IndexOutOfBoundsException if there is no such operation
         * @throws IllegalStateException if the allocator returns a negative handle other than
         *     {@link Allocator#NULL}
         */
        public int replay(Trace trace, int index) {
            return replay(trace.kind(index), trace.idIndex(index), trace.size(index), trace.alignment(index),
                    trace.delta(index), trace, index);
        }

        /** {@code where} is the trace or reader the operation comes from, {@code index} its index in a trace. */
        private int replay(Trace.Kind kind, int id, int size, int alignment, int delta, Object where, int index) {
            if (id >= bound.length) {
                int old = bound.length;
                bound = Arrays.copyOf(bound, Math.max(id + 1, 2 * old));
                Arrays.fill(bound, old, bound.length, Allocator.NULL);
            }
            operations++;
            int handle = bound[id];
            switch (kind) {
                case ALLOCATE: {
                    int result = checked(allocator.allocate(size, alignment), where, index);
                    bound[id] = result;
                    if (result == Allocator.NULL) {
                        failedAllocations++;
                    }
                    return result;
                }
                case FREE:
                    return free(handle, delta).code();
                default: {
                    if (handle == Allocator.NULL) {
                        return ReplayResult.FreeOutcome.UNKNOWN_ID.code();
                    }
                    int result;
                    try {
                        result = allocator.reallocate(handle, size, alignment);
                    } catch (DoubleFreeException e) {
                        return ReplayResult.FreeOutcome.DOUBLE_FREE.code();
                    } catch (InvalidFreeException e) {
                        return ReplayResult.FreeOutcome.NOT_FOUND.code();
                    }
                    checked(result, where, index);
                    if (result == Allocator.NULL) {
                        failedAllocations++;
                    } else {
                        bound[id] = result;
                    }
                    return result;
                }
            }
        }

        private ReplayResult.FreeOutcome free(int handle, int delta) {
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

        private static int checked(int result, Object where, int index) {
            if (result < 0 && result != Allocator.NULL) {
                String at;
                if (where instanceof Trace) {
                    Trace trace = (Trace) where;
                    at = trace.source() + ":" + trace.line(index) + ": " + trace.toTraceLine(index);
                } else {
                    TraceReader reader = (TraceReader) where;
                    at = reader.source() + ":" + reader.line() + ": " + Trace.line(reader.kind(), reader.id(),
                            reader.size(), reader.alignment(), reader.delta());
                }
                throw new IllegalStateException(at + ": the allocator returned " + result
                        + ", which is neither a handle (0 or more) nor Allocator.NULL (-1)");
            }
            return result;
        }

        /**
         * Writes the replay output line of the reader's current operation and its outcome, for example
         * {@code a x 4}, {@code r x null} or {@code f x double-free}, ended by {@code \n}.
         *
         * @param reader the reader on the operation that was replayed
         * @param outcome its outcome
         * @param out where to write
         * @throws IOException if {@code out} fails
         * @throws IllegalArgumentException if the outcome is not one the operation can have
         */
        public void write(TraceReader reader, int outcome, Writer out) throws IOException {
            int length = reader.idLength();
            if (line.length < length + 16) {
                line = new char[length + 32];
            }
            Trace.Kind kind = reader.kind();
            line[0] = kind == Trace.Kind.ALLOCATE ? 'a' : kind == Trace.Kind.FREE ? 'f' : 'r';
            line[1] = ' ';
            reader.copyId(line, 2);
            int at = 2 + length;
            line[at++] = ' ';
            if (outcome >= 0 && kind != Trace.Kind.FREE) {
                int digits = 1;
                for (int rest = outcome / 10; rest > 0; rest /= 10) {
                    digits++;
                }
                at += digits;
                for (int i = at - 1, rest = outcome; i >= at - digits; i--, rest /= 10) {
                    line[i] = (char) ('0' + rest % 10);
                }
                out.write(line, 0, at);
            } else {
                out.write(line, 0, at);
                out.write(ReplayResult.word(kind, outcome));
            }
            out.write('\n');
        }

        /**
         * Returns the number of operations replayed.
         *
         * @return the count
         */
        public long operations() {
            return operations;
        }

        /**
         * Returns how many allocations and reallocations returned null.
         *
         * @return the count
         */
        public int failedAllocations() {
            return failedAllocations;
        }

        /**
         * Returns the allocator replayed against.
         *
         * @return the allocator
         */
        public Allocator allocator() {
            return allocator;
        }
    }
}
