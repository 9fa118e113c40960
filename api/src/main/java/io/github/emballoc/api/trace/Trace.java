package io.github.emballoc.api.trace;

import io.github.emballoc.api.image.HeaderDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A parsed allocation trace: an optional heap size and a list of operations, each allocating a block and
 * binding it to an ID, or freeing the block bound to an ID.
 *
 * <pre>
 * # a comment; blank lines are ignored too
 * heap 4096            the heap size in bytes; optional, at most once, before the first operation
 * a ID SIZE [ALIGN]    allocate SIZE bytes (0 &le; SIZE &le; 2147483647), alignment ALIGN (a power of two, default 1)
 * f ID [DELTA]         free the block bound to ID, passing the handle plus DELTA (default 0, DELTA &ge; 0)
 * </pre>
 *
 * IDs are letters, digits, {@code _}, {@code -} and {@code .}. Fields are separated by spaces or tabs. A
 * heap size must be a heap an allocator can manage: a multiple of 4 from 8 to 2,147,483,644.
 * Anything else is refused with a {@link TraceFormatException} naming the source, the line and the
 * problem, and no trace is returned (so nothing is ever half-replayed).
 *
 * <p>IDs are numbered in order of first appearance, so a replay can bind handles in an {@code int[]}.
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

    /** What {@code number} returns for a number too long to parse: larger than every range of the format. */
    private static final long TOO_LARGE = Long.MAX_VALUE;

    private final String source;
    private final int heapSize;
    private final List<Operation> operations;
    private final String[] ids;

    private Trace(String source, int heapSize, List<Operation> operations, String[] ids) {
        this.source = source;
        this.heapSize = heapSize;
        this.operations = operations;
        this.ids = ids;
    }

    /** What an operation does. */
    public enum Kind {
        /** {@code a ID SIZE [ALIGN]}: allocate and bind. */
        ALLOCATE,
        /** {@code f ID [DELTA]}: free the block bound to the ID. */
        FREE
    }

    /**
     * One operation of a trace.
     *
     * @param kind allocate or free
     * @param line the 1-based line it was read from
     * @param id the ID it binds or frees
     * @param idIndex the ID's number, from 0, in order of first appearance in the trace
     * @param size the requested size (allocations; 0 for frees)
     * @param alignment the requested alignment (allocations; 1 for frees)
     * @param delta what is added to the handle before freeing (frees; 0 for allocations)
     */
    public record Operation(Kind kind, int line, String id, int idIndex, int size, int alignment, int delta) {

        /**
         * Checks the parts.
         *
         * @param kind allocate or free
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
         * @return for example {@code a x 16 8} or {@code f x 4}
         */
        public String toTraceLine() {
            if (kind == Kind.ALLOCATE) {
                return alignment == 1 ? "a " + id + " " + size : "a " + id + " " + size + " " + alignment;
            }
            return delta == 0 ? "f " + id : "f " + id + " " + delta;
        }
    }

    /**
     * Parses a trace file (UTF-8). The source name in errors is the path as given.
     *
     * @param file the file
     * @return the trace
     * @throws IOException if the file cannot be read
     * @throws TraceFormatException if a line breaks the format
     */
    public static Trace parse(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), reader);
        }
    }

    /**
     * Parses a trace held in a string.
     *
     * @param source the name to use in errors
     * @param text the trace
     * @return the trace
     * @throws TraceFormatException if a line breaks the format
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
     * @throws TraceFormatException if a line breaks the format
     */
    public static Trace parse(String source, Reader in) throws IOException {
        Objects.requireNonNull(source, "source");
        BufferedReader reader = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        Map<String, Integer> idNumbers = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        int heapSize = -1;
        int heapLine = 0;
        int lineNumber = 0;
        String[] fields = new String[5];
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // a UTF-8 byte-order mark, as some editors write
            }
            int count = split(line, fields);
            if (count == 0 || fields[0].startsWith("#")) {
                continue;
            }
            String command = fields[0];
            switch (command) {
                case "heap": {
                    if (count != 2) {
                        throw new TraceFormatException(source, lineNumber, (count < 2 ? "missing field" : "extra field")
                                + ": 'heap' takes one field, the heap size: heap SIZE");
                    }
                    if (heapLine != 0) {
                        throw new TraceFormatException(source, lineNumber,
                                "a second 'heap' line (the first is line " + heapLine + ")");
                    }
                    if (!operations.isEmpty()) {
                        throw new TraceFormatException(source, lineNumber,
                                "'heap' after the first operation (line " + operations.get(0).line()
                                        + "); it must come before any 'a' or 'f'");
                    }
                    long size = number(source, lineNumber, "heap size", fields[1]);
                    if (size < MIN_HEAP || size > MAX_HEAP || size % HeaderDescriptor.GRANULE != 0) {
                        throw new TraceFormatException(source, lineNumber, "heap size " + fields[1]
                                + " is not a multiple of 4 from " + MIN_HEAP + " to " + MAX_HEAP);
                    }
                    heapSize = (int) size;
                    heapLine = lineNumber;
                    break;
                }
                case "a": {
                    if (count < 3 || count > 4) {
                        throw new TraceFormatException(source, lineNumber, (count < 3 ? "missing field" : "extra field")
                                + ": 'a' takes an ID, a size and an optional alignment: a ID SIZE [ALIGN]");
                    }
                    String id = id(source, lineNumber, fields[1]);
                    long size = number(source, lineNumber, "size", fields[2]);
                    if (size > Integer.MAX_VALUE) {
                        throw new TraceFormatException(source, lineNumber, "size " + fields[2]
                                + " is out of range (0 to " + Integer.MAX_VALUE + ")");
                    }
                    int alignment = 1;
                    if (count == 4) {
                        long align = number(source, lineNumber, "alignment", fields[3]);
                        if (align > MAX_ALIGNMENT) {
                            throw new TraceFormatException(source, lineNumber, "alignment " + fields[3]
                                    + " is out of range (1 to " + MAX_ALIGNMENT + ")");
                        }
                        if (align == 0 || Long.bitCount(align) != 1) {
                            throw new TraceFormatException(source, lineNumber, "alignment " + fields[3]
                                    + " is not a power of two");
                        }
                        alignment = (int) align;
                    }
                    int index = idNumbers.computeIfAbsent(id, key -> {
                        ids.add(key);
                        return ids.size() - 1;
                    });
                    operations.add(new Operation(Kind.ALLOCATE, lineNumber, ids.get(index), index, (int) size,
                            alignment, 0));
                    break;
                }
                case "f": {
                    if (count < 2 || count > 3) {
                        throw new TraceFormatException(source, lineNumber, (count < 2 ? "missing field" : "extra field")
                                + ": 'f' takes an ID and an optional delta: f ID [DELTA]");
                    }
                    String id = id(source, lineNumber, fields[1]);
                    int delta = 0;
                    if (count == 3) {
                        if (isNegativeNumber(fields[2])) {
                            throw new TraceFormatException(source, lineNumber, "delta " + fields[2]
                                    + " is negative (it must be 0 or more)");
                        }
                        long value = number(source, lineNumber, "delta", fields[2]);
                        if (value > Integer.MAX_VALUE) {
                            throw new TraceFormatException(source, lineNumber, "delta " + fields[2]
                                    + " is out of range (0 to " + Integer.MAX_VALUE + ")");
                        }
                        delta = (int) value;
                    }
                    int index = idNumbers.computeIfAbsent(id, key -> {
                        ids.add(key);
                        return ids.size() - 1;
                    });
                    operations.add(new Operation(Kind.FREE, lineNumber, ids.get(index), index, 0, 1, delta));
                    break;
                }
                default:
                    throw new TraceFormatException(source, lineNumber, "unknown command '" + command
                            + "' (expected heap, a or f)");
            }
        }
        return new Trace(source, heapSize, Collections.unmodifiableList(operations), ids.toArray(new String[0]));
    }

    /**
     * Splits on runs of spaces and tabs into {@code fields}; returns the number of fields, counting (but not
     * storing) any past the array's length.
     */
    private static int split(String line, String[] fields) {
        int count = 0;
        int i = 0;
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            n--;
        }
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (count < fields.length) {
                fields[count] = line.substring(start, i);
            }
            count++;
        }
        return count;
    }

    private static String id(String source, int line, String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                throw new TraceFormatException(source, line, "ID '" + field + "' has the character '" + c
                        + "' (IDs are letters, digits, '_', '-' and '.')");
            }
        }
        return field;
    }

    /**
     * A non-negative decimal number, leading zeros allowed. One of more than 18 significant digits is returned
     * as {@link #TOO_LARGE}, which is beyond every range here, so that the caller's own range check reports
     * it with the caller's message.
     */
    private static long number(String source, int line, String what, String field) {
        if (!allDigits(field)) {
            throw new TraceFormatException(source, line, what + " '" + field + "' is not a number"
                    + (isNegativeNumber(field) ? " of 0 or more" : ""));
        }
        int first = 0;
        while (first < field.length() - 1 && field.charAt(first) == '0') {
            first++;
        }
        return field.length() - first > 18 ? TOO_LARGE : Long.parseLong(field);
    }

    /** Whether {@code field} is a minus sign followed by one or more decimal digits. */
    private static boolean isNegativeNumber(String field) {
        return field.length() > 1 && field.charAt(0) == '-' && allDigits(field.substring(1));
    }

    /** Whether {@code field} is one or more decimal digits. */
    private static boolean allDigits(String field) {
        if (field.isEmpty()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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
        if (override.isPresent()) {
            return override.getAsInt();
        }
        if (heapSize < 0) {
            throw new TraceFormatException(source, 0,
                    "no heap size: the trace has no 'heap' line and none was given (use --heap BYTES)");
        }
        return heapSize;
    }

    /**
     * Returns the operations in order.
     *
     * @return an unmodifiable list
     */
    public List<Operation> operations() {
        return operations;
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
        return "Trace[" + source + ", heap " + (heapSize < 0 ? "unset" : heapSize) + ", " + operations.size()
                + " operations, " + ids.length + " IDs]";
    }
}
