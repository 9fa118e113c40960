package io.github.emballoc.api.trace;

import io.github.emballoc.api.image.HeaderDescriptor;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.RandomAccess;

/**
 * A parsed allocation trace, held in memory: an optional heap size and the operations, each allocating a
 * block and binding it to an ID, freeing the block bound to an ID, or reallocating it. The syntax, and every
 * refusal, are {@link TraceReader}'s, which parses it; use a {@link TraceReader} directly to replay a trace
 * larger than memory.
 *
 * <p>IDs are numbered in order of first appearance, so a replay can bind handles in an {@code int[]}.
 * Operations are kept in primitive arrays (14 bytes each); the accessors by index ({@link #kind(int)},
 * {@link #size(int)}, ...) create no object, while {@link #operations()} makes an {@link Operation} per
 * element read.
 *
 * <p>Threads: immutable, so it may be shared and replayed by any number of threads.
 */
public final class Trace {

    /** The smallest heap size a trace may state. */
    public static final int MIN_HEAP = HeaderDescriptor.MIN_CAPACITY;
    /** The largest heap size a trace may state: the largest multiple of 4 an {@code int} holds. */
    public static final int MAX_HEAP = HeaderDescriptor.MAX_CAPACITY;
    /** The largest alignment a trace may state: the largest power of two an {@code int} holds. */
    public static final int MAX_ALIGNMENT = 1 << 30;

    private static final Kind[] KINDS = Kind.values();

    private final String source;
    private final int heapSize;
    private final int count;
    private final byte[] kinds;
    /** The alignment's base-2 logarithm. */
    private final byte[] alignmentShifts;
    private final int[] lines;
    private final int[] idIndexes;
    /** The size of an allocation or reallocation, the delta of a free. */
    private final int[] values;
    private final String[] ids;
    private final List<Operation> operations;

    private Trace(String source, int heapSize, Builder builder, String[] ids) {
        this.source = source;
        this.heapSize = heapSize;
        this.count = builder.count;
        this.kinds = Arrays.copyOf(builder.kinds, count);
        this.alignmentShifts = Arrays.copyOf(builder.alignmentShifts, count);
        this.lines = Arrays.copyOf(builder.lines, count);
        this.idIndexes = Arrays.copyOf(builder.idIndexes, count);
        this.values = Arrays.copyOf(builder.values, count);
        this.ids = ids;
        this.operations = new OperationList();
    }

    /** What an operation does. */
    public enum Kind {
        /** {@code a ID SIZE [ALIGN]}: allocate and bind. */
        ALLOCATE,
        /** {@code f ID [DELTA]}: free the block bound to the ID. */
        FREE,
        /** {@code r ID SIZE [ALIGN]}: reallocate the block bound to the ID, and bind the ID to the result. */
        REALLOCATE
    }

    /**
     * One operation of a trace.
     *
     * @param kind allocate, free or reallocate
     * @param line the 1-based line it was read from
     * @param id the ID it binds, frees or reallocates
     * @param idIndex the ID's number, from 0, in order of first appearance in the trace
     * @param size the requested size (allocations and reallocations; 0 for frees)
     * @param alignment the requested alignment (allocations and reallocations; 1 for frees)
     * @param delta what is added to the handle before freeing (frees; 0 otherwise)
     */
    public record Operation(Kind kind, int line, String id, int idIndex, int size, int alignment, int delta) {

        /**
         * Checks the parts.
         *
         * @param kind allocate, free or reallocate
         * @param line the 1-based line
         * @param id the ID
         * @param idIndex the ID's number
         * @param size the requested size
         * @param alignment the requested alignment
         * @param delta the delta added before freeing
         * @throws NullPointerException if {@code kind} or {@code id} is {@code null}
         * @throws IllegalArgumentException if a number is out of its range
         */
        public Operation {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            if (size < 0 || delta < 0 || idIndex < 0 || alignment <= 0 || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("bad operation: size " + size + ", alignment " + alignment
                        + ", delta " + delta + ", id index " + idIndex);
            }
        }

        /**
         * Writes the operation back as a trace line.
         *
         * @return for example {@code a x 16 8}, {@code r x 32} or {@code f x 4}
         */
        public String toTraceLine() {
            return Trace.line(kind, id, size, alignment, delta);
        }
    }

    /** The shortest trace line for an operation. */
    static String line(Kind kind, String id, int size, int alignment, int delta) {
        switch (kind) {
            case FREE:
                return delta == 0 ? "f " + id : "f " + id + " " + delta;
            case ALLOCATE:
                return alignment == 1 ? "a " + id + " " + size : "a " + id + " " + size + " " + alignment;
            default:
                return alignment == 1 ? "r " + id + " " + size : "r " + id + " " + size + " " + alignment;
        }
    }

    /**
     * Parses a trace file (UTF-8). The source name in errors is the path as given.
     *
     * @param file the file
     * @return the trace
     * @throws IOException if the file cannot be read
     * @throws TraceFormatException if a line breaks the format (see {@link TraceReader})
     */
    public static Trace parse(Path file) throws IOException {
        try (TraceReader reader = TraceReader.open(file)) {
            return read(reader);
        }
    }

    /**
     * Parses a trace held in a string.
     *
     * @param source the name to use in errors
     * @param text the trace
     * @return the trace
     * @throws TraceFormatException if a line breaks the format (see {@link TraceReader})
     */
    public static Trace parse(String source, String text) {
        try {
            return parse(source, new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader failed", e);
        }
    }

    /**
     * Parses a trace from a reader, to its end. The reader is not closed.
     *
     * @param source the name to use in errors (a file name, or {@code -} for standard input)
     * @param in the text
     * @return the trace
     * @throws IOException if reading fails
     * @throws TraceFormatException if a line breaks the format (see {@link TraceReader})
     */
    public static Trace parse(String source, Reader in) throws IOException {
        Objects.requireNonNull(in, "in");
        return read(TraceReader.of(source, in));
    }

    /**
     * Reads the rest of a trace into memory.
     *
     * @param reader a reader, before its first operation or part way through (only the operations still to be
     *     read are kept)
     * @return the trace, named by the reader's source
     * @throws IOException if reading fails
     * @throws TraceFormatException if a line breaks the format
     */
    public static Trace read(TraceReader reader) throws IOException {
        Builder builder = new Builder();
        while (reader.next()) {
            builder.add(reader.kind(), reader.line(), reader.idIndex(),
                    reader.kind() == Kind.FREE ? reader.delta() : reader.size(), reader.alignment());
        }
        return new Trace(reader.source(), reader.heapSize().orElse(-1), builder, reader.idNames());
    }

    /** Growing primitive arrays of operations. */
    private static final class Builder {
        private byte[] kinds = new byte[64];
        private byte[] alignmentShifts = new byte[64];
        private int[] lines = new int[64];
        private int[] idIndexes = new int[64];
        private int[] values = new int[64];
        private int count;

        void add(Kind kind, int line, int idIndex, int value, int alignment) {
            if (count == kinds.length) {
                if (count == Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a trace in memory holds at most " + count + " operations");
                }
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, 2L * count);
                kinds = Arrays.copyOf(kinds, grown);
                alignmentShifts = Arrays.copyOf(alignmentShifts, grown);
                lines = Arrays.copyOf(lines, grown);
                idIndexes = Arrays.copyOf(idIndexes, grown);
                values = Arrays.copyOf(values, grown);
            }
            kinds[count] = (byte) kind.ordinal();
            alignmentShifts[count] = (byte) Integer.numberOfTrailingZeros(alignment);
            lines[count] = line;
            idIndexes[count] = idIndex;
            values[count] = value;
            count++;
        }
    }

    /** The operations as records, made on access. */
    private final class OperationList extends AbstractList<Operation> implements RandomAccess {
        @Override
        public Operation get(int index) {
            Objects.checkIndex(index, count);
            return new Operation(kind(index), lines[index], ids[idIndexes[index]], idIndexes[index],
                    Trace.this.size(index), alignment(index), delta(index));
        }

        @Override
        public int size() {
            return count;
        }
    }

    /**
     * Returns the name errors and reports use for this trace.
     *
     * @return the source name given to {@code parse}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the heap size of the trace's {@code heap} line.
     *
     * @return the size, or empty when the trace has no {@code heap} line
     */
    public OptionalInt heapSize() {
        return heapSize < 0 ? OptionalInt.empty() : OptionalInt.of(heapSize);
    }

    /**
     * Chooses the heap size to replay with: an override (for example from the command line) wins over the
     * trace's {@code heap} line.
     *
     * @param override the size to use instead of the trace's, or empty
     * @return the heap size
     * @throws TraceFormatException ({@code SOURCE: no heap size ...}) when neither gives one
     */
    public int resolveHeapSize(OptionalInt override) {
        return resolveHeapSize(source, heapSize, override);
    }

    /** The rule of {@link #resolveHeapSize(OptionalInt)}, for a trace's size {@code fromTrace} (-1: none). */
    static int resolveHeapSize(String source, int fromTrace, OptionalInt override) {
        if (override.isPresent()) {
            return override.getAsInt();
        }
        if (fromTrace < 0) {
            throw new TraceFormatException(source, 0,
                    "no heap size: the trace has no 'heap' line and none was given (use --heap BYTES)");
        }
        return fromTrace;
    }

    /**
     * Returns the operations in order.
     *
     * @return an unmodifiable list, which makes an {@link Operation} for each element read
     */
    public List<Operation> operations() {
        return operations;
    }

    /**
     * Returns the number of operations.
     *
     * @return the count
     */
    public int operationCount() {
        return count;
    }

    /**
     * Returns what an operation does.
     *
     * @param index the operation's index, from 0
     * @return the kind
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public Kind kind(int index) {
        return KINDS[kinds[index]];
    }

    /**
     * Returns the 1-based line an operation was read from.
     *
     * @param index the operation's index
     * @return the line
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public int line(int index) {
        return lines[index];
    }

    /**
     * Returns the number of an operation's ID.
     *
     * @param index the operation's index
     * @return the ID's number, below {@link #idCount()}
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public int idIndex(int index) {
        return idIndexes[index];
    }

    /**
     * Returns the requested size of an allocation or reallocation.
     *
     * @param index the operation's index
     * @return the size, 0 for a free
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public int size(int index) {
        return kinds[index] == Kind.FREE.ordinal() ? 0 : values[index];
    }

    /**
     * Returns the requested alignment of an allocation or reallocation.
     *
     * @param index the operation's index
     * @return a power of two, 1 for a free
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public int alignment(int index) {
        return 1 << alignmentShifts[index];
    }

    /**
     * Returns what a free adds to the handle.
     *
     * @param index the operation's index
     * @return the delta, 0 for an allocation or reallocation
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public int delta(int index) {
        return kinds[index] == Kind.FREE.ordinal() ? values[index] : 0;
    }

    /**
     * Writes an operation back as a trace line.
     *
     * @param index the operation's index
     * @return the shortest line that parses back to it, for example {@code a x 16 8}
     * @throws IndexOutOfBoundsException if there is no such operation
     */
    public String toTraceLine(int index) {
        return line(kind(index), ids[idIndexes[index]], size(index), alignment(index), delta(index));
    }

    /**
     * Returns how many distinct IDs the trace uses.
     *
     * @return the number of IDs; {@link Operation#idIndex()} is below it
     */
    public int idCount() {
        return ids.length;
    }

    /**
     * Returns the ID with a given number.
     *
     * @param index the number, from 0
     * @return the ID
     * @throws IndexOutOfBoundsException if there is no such number
     */
    public String id(int index) {
        return ids[index];
    }

    @Override
    public String toString() {
        return "Trace[" + source + ", heap " + (heapSize < 0 ? "unset" : heapSize) + ", " + count
                + " operations, " + ids.length + " IDs]";
    }
}
