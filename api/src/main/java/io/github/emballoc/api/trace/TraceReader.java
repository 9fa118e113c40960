package io.github.emballoc.api.trace;

import io.github.emballoc.api.image.HeaderDescriptor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Reads a trace one operation at a time, in constant memory: the one parser of the trace format, behind both
 * {@link Trace#parse} (which keeps the operations) and streamed replays (which keep none).
 *
 * <pre>
 * # a comment; blank lines are ignored too
 * heap 4096            the heap size in bytes; optional, at most once, before the first operation
 * a ID SIZE [ALIGN]    allocate SIZE bytes (0 &le; SIZE &le; 2147483647), alignment ALIGN (a power of two, default 1)
 * f ID [DELTA]         free the block bound to ID, passing the handle plus DELTA (default 0, DELTA &ge; 0)
 * r ID SIZE [ALIGN]    reallocate the block bound to ID to SIZE bytes, alignment as for 'a'
 * </pre>
 *
 * IDs are letters, digits, {@code _}, {@code -} and {@code .}. Fields are separated by spaces or tabs; lines
 * end with {@code \n}, {@code \r\n} or a lone {@code \r}; a UTF-8 byte-order mark before the first line is
 * skipped. A heap size must be a heap an allocator can manage: a multiple of 4 from 8 to 2,147,483,644.
 *
 * <p>Anything else is refused with a {@link TraceFormatException} naming the source, the line and the
 * problem. Input that is not a trace fails fast, at its first line, without being read further: a NUL
 * character, a line longer than {@link #MAX_LINE_LENGTH} characters, or bytes that are not UTF-8 (when the
 * reader decodes bytes itself). Values quoted in messages are cut to an excerpt that says how long they were
 * ({@link TraceFormatException#quote(CharSequence)}).
 *
 * <p>Memory: one buffer of 64 Ki characters, and the IDs (each distinct ID once, numbered from 0 in order of
 * first appearance); nothing is kept per line, and reading an operation whose ID is already known creates no
 * object.
 *
 * <p>Threads: not thread-safe; one thread reads a reader.
 */
public final class TraceReader implements Closeable {

    /** The longest line accepted, in characters, without its line end. */
    public static final int MAX_LINE_LENGTH = 4096;

    /** What {@code number} returns for a number too long to parse: larger than every range of the format. */
    private static final long TOO_LARGE = Long.MAX_VALUE;
    private static final int BUFFER = 1 << 16;
    private static final int FIELDS = 5;

    private final String source;
    /** The characters, when given a reader; else {@code null} and the bytes are decoded here. */
    private final Reader chars;
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes;
    private boolean bytesEnded;
    /** Whether bytes that are not UTF-8 follow the last character in the buffer. */
    private boolean malformed;

    private final char[] buffer = new char[BUFFER];
    private int position;
    private int limit;
    private boolean ended;
    private boolean skipLineFeed;
    private int lineNumber;
    private int lineStart;
    private int lineEnd;
    private final int[] fieldStart = new int[FIELDS];
    private final int[] fieldEnd = new int[FIELDS];

    private final IdTable ids = new IdTable();
    private Trace.Kind kind;
    private int line;
    private int idIndex;
    private int size;
    private int alignment;
    private int delta;
    private long operations;
    private int heapSize = -1;
    private int heapLine;
    private int firstOperationLine;

    private TraceReader(String source, Reader chars, InputStream in) {
        this.source = Objects.requireNonNull(source, "source");
        this.chars = chars;
        this.in = in;
        if (in != null) {
            decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            bytes = ByteBuffer.allocate(BUFFER);
            bytes.limit(0);
        } else {
            decoder = null;
            bytes = null;
        }
    }

    /**
     * Opens a trace file (UTF-8). The source name in errors is the path as given.
     *
     * @param file the file
     * @return a reader positioned before the first operation; close it when done
     * @throws IOException if the file cannot be opened
     */
    public static TraceReader open(Path file) throws IOException {
        return new TraceReader(file.toString(), null, Files.newInputStream(file));
    }

    /**
     * Reads a trace from bytes, decoded as UTF-8 (bytes that are not UTF-8 are an error naming their line).
     * {@link #close()} closes the stream.
     *
     * @param source the name to use in errors (a file name, or {@code -} for standard input)
     * @param in the bytes
     * @return a reader positioned before the first operation
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TraceReader of(String source, InputStream in) {
        return new TraceReader(source, null, Objects.requireNonNull(in, "in"));
    }

    /**
     * Reads a trace from characters. {@link #close()} closes the reader.
     *
     * @param source the name to use in errors
     * @param in the characters
     * @return a reader positioned before the first operation
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TraceReader of(String source, Reader in) {
        return new TraceReader(source, Objects.requireNonNull(in, "in"), null);
    }

    /**
     * Reads up to the next operation, checking every line on the way ({@code heap} lines, comments and blank
     * lines are consumed here).
     *
     * @return {@code true} when an operation was read (its parts are then available from the accessors),
     *     {@code false} at the end of the trace
     * @throws TraceFormatException if a line breaks the format; the reader must not be used afterwards
     * @throws IOException if reading fails
     */
    public boolean next() throws IOException {
        while (readLine()) {
            if (parseLine()) {
                operations++;
                if (firstOperationLine == 0) {
                    firstOperationLine = line;
                }
                return true;
            }
        }
        kind = null;
        return false;
    }

    /**
     * Reads to the end, checking every line, and returns how many operations there were.
     *
     * @return the number of operations read by this call
     * @throws TraceFormatException if a line breaks the format
     * @throws IOException if reading fails
     */
    public long skipToEnd() throws IOException {
        long before = operations;
        while (next()) {
            // every line is checked by next()
        }
        return operations - before;
    }

    /**
     * Returns the name errors use for this trace.
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * Returns what the current operation does.
     *
     * @return the kind
     * @throws IllegalStateException if no operation has been read (before the first {@link #next()} or after
     *     it returned {@code false})
     */
    public Trace.Kind kind() {
        current();
        return kind;
    }

    /**
     * Returns the 1-based line of the current operation.
     *
     * @return the line number
     * @throws IllegalStateException if no operation has been read
     */
    public int line() {
        current();
        return line;
    }

    /**
     * Returns the number of the current operation's ID (from 0, in order of first appearance).
     *
     * @return the ID's number
     * @throws IllegalStateException if no operation has been read
     */
    public int idIndex() {
        current();
        return idIndex;
    }

    /**
     * Returns the current operation's ID.
     *
     * @return the ID (one string per distinct ID, made on the first call for it)
     * @throws IllegalStateException if no operation has been read
     */
    public String id() {
        current();
        return ids.name(idIndex);
    }

    /**
     * Returns the requested size of the current allocation or reallocation.
     *
     * @return the size, 0 for a free
     * @throws IllegalStateException if no operation has been read
     */
    public int size() {
        current();
        return size;
    }

    /**
     * Returns the requested alignment of the current allocation or reallocation.
     *
     * @return a power of two, 1 for a free
     * @throws IllegalStateException if no operation has been read
     */
    public int alignment() {
        current();
        return alignment;
    }

    /**
     * Returns what the current free adds to the handle.
     *
     * @return the delta, 0 for an allocation or reallocation
     * @throws IllegalStateException if no operation has been read
     */
    public int delta() {
        current();
        return delta;
    }

    /**
     * Returns how many operations have been read.
     *
     * @return the count
     */
    public long operationCount() {
        return operations;
    }

    /**
     * Returns how many distinct IDs have been read.
     *
     * @return the count
     */
    public int idCount() {
        return ids.count();
    }

    /**
     * Returns the ID with a given number.
     *
     * @param index the number, from 0
     * @return the ID
     * @throws IndexOutOfBoundsException if no ID has that number yet
     */
    public String id(int index) {
        Objects.checkIndex(index, ids.count());
        return ids.name(index);
    }

    /**
     * Returns the size of the {@code heap} line. Final once the first operation has been read (a {@code heap}
     * line after it is an error) or the end reached.
     *
     * @return the size, or empty when no {@code heap} line has been read
     */
    public OptionalInt heapSize() {
        return heapSize < 0 ? OptionalInt.empty() : OptionalInt.of(heapSize);
    }

    /**
     * Chooses the heap size to replay with, as {@link Trace#resolveHeapSize(OptionalInt)} does: an override
     * wins over the trace's {@code heap} line. Call it once the first operation has been read or the end
     * reached (before that a {@code heap} line may still come).
     *
     * @param override the size to use instead of the trace's, or empty
     * @return the heap size
     * @throws TraceFormatException ({@code SOURCE: no heap size ...}) when neither gives one
     */
    public int resolveHeapSize(OptionalInt override) {
        return Trace.resolveHeapSize(source, heapSize, override);
    }

    /**
     * Closes the file, stream or reader read from.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        if (chars != null) {
            chars.close();
        } else {
            in.close();
        }
    }

    /** The length of the current operation's ID (for writing it without a string). */
    int idLength() {
        return ids.length(idIndex);
    }

    /** Copies the current operation's ID to {@code target} from {@code at}. */
    void copyId(char[] target, int at) {
        ids.copy(idIndex, target, at);
    }

    /** The IDs read so far, by number, as strings. */
    String[] idNames() {
        String[] names = new String[ids.count()];
        for (int i = 0; i < names.length; i++) {
            names[i] = ids.name(i);
        }
        return names;
    }

    private void current() {
        if (kind == null) {
            throw new IllegalStateException("no current operation: call next() first, and only while it returns"
                    + " true");
        }
    }

    // ------------------------------------------------------------------------------------------------ lines

    /**
     * Finds the next line in the buffer (reading more as needed): sets {@link #lineStart} and {@link #lineEnd}
     * and counts it. A NUL character, an overlong line or undecodable bytes fail at once.
     */
    private boolean readLine() throws IOException {
        int scan = position;
        while (true) {
            if (skipLineFeed) {
                if (position < limit) {
                    if (buffer[position] == '\n') {
                        position++;
                    }
                    skipLineFeed = false;
                    scan = position;
                } else if (ended || malformed) {
                    skipLineFeed = false;
                } else {
                    fill();
                    scan = position;
                    continue;
                }
            }
            for (int i = scan; i < limit; i++) {
                char c = buffer[i];
                if (c == '\n' || c == '\r') {
                    lineNumber++;
                    lineStart = position;
                    lineEnd = i;
                    position = i + 1;
                    skipLineFeed = c == '\r';
                    return true;
                }
                if (c == 0) {
                    throw new TraceFormatException(source, lineNumber + 1, "a NUL character at column "
                            + (i - position + 1) + ": this is not a text file, and a trace is text");
                }
                if (i - position >= MAX_LINE_LENGTH) {
                    throw new TraceFormatException(source, lineNumber + 1, "the line is longer than "
                            + MAX_LINE_LENGTH + " characters (no trace line is): is this a trace?");
                }
            }
            scan = limit;
            if (malformed) {
                throw new TraceFormatException(source, lineNumber + 1, "not UTF-8 text: bytes that are not UTF-8"
                        + " after column " + (limit - position));
            }
            if (ended) {
                if (position < limit) {
                    lineNumber++;
                    lineStart = position;
                    lineEnd = limit;
                    position = limit;
                    return true;
                }
                return false;
            }
            scan -= fill();
        }
    }

    /**
     * Moves the unread characters to the start of the buffer, then adds characters after them, or sets
     * {@link #ended} or {@link #malformed}; returns how far the unread characters moved.
     */
    private int fill() throws IOException {
        int shift = position;
        if (shift > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= shift;
            position = 0;
        }
        if (chars != null) {
            int read = chars.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                ended = true;
            } else {
                limit += read;
            }
            return shift;
        }
        CharBuffer out = CharBuffer.wrap(buffer, limit, buffer.length - limit);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, bytesEnded);
            if (result.isError()) {
                malformed = true;
                break;
            }
            if (out.position() > limit || result.isOverflow()) {
                break;
            }
            if (bytesEnded) {
                decoder.flush(out);
                ended = true;
                break;
            }
            bytes.compact();
            int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (read < 0) {
                bytesEnded = true;
            } else {
                bytes.position(bytes.position() + read);
            }
            bytes.flip();
        }
        limit = out.position();
        return shift;
    }

    // ------------------------------------------------------------------------------------------------ fields

    /** Parses the current line: returns whether it is an operation (else a comment, blank or heap line). */
    private boolean parseLine() {
        if (lineNumber == 1 && lineStart < lineEnd && buffer[lineStart] == '\uFEFF') {
            lineStart++; // a UTF-8 byte-order mark, as some editors write
        }
        int count = split();
        if (count == 0 || buffer[fieldStart[0]] == '#') {
            return false;
        }
        if (is(0, "heap")) {
            heapLine(count);
            return false;
        }
        if (is(0, "a")) {
            sizedOperation(Trace.Kind.ALLOCATE, count, "'a' takes an ID, a size and an optional alignment: a ID SIZE"
                    + " [ALIGN]");
            return true;
        }
        if (is(0, "r")) {
            sizedOperation(Trace.Kind.REALLOCATE, count, "'r' takes an ID, a size and an optional alignment: r ID"
                    + " SIZE [ALIGN]");
            return true;
        }
        if (is(0, "f")) {
            free(count);
            return true;
        }
        throw error("unknown command " + quoted(0) + " (expected heap, a, f or r)");
    }

    private void heapLine(int count) {
        if (count != 2) {
            throw error((count < 2 ? "missing field" : "extra field")
                    + ": 'heap' takes one field, the heap size: heap SIZE");
        }
        if (heapLine != 0) {
            throw error("a second 'heap' line (the first is line " + heapLine + ")");
        }
        if (firstOperationLine != 0) {
            throw error("'heap' after the first operation (line " + firstOperationLine
                    + "); it must come before any 'a', 'f' or 'r'");
        }
        long value = number(1, "heap size");
        if (value < Trace.MIN_HEAP || value > Trace.MAX_HEAP || value % HeaderDescriptor.GRANULE != 0) {
            throw error("heap size " + plain(1) + " is not a multiple of 4 from " + Trace.MIN_HEAP + " to "
                    + Trace.MAX_HEAP);
        }
        heapSize = (int) value;
        heapLine = lineNumber;
    }

    private void sizedOperation(Trace.Kind what, int count, String usage) {
        if (count < 3 || count > 4) {
            throw error((count < 3 ? "missing field" : "extra field") + ": " + usage);
        }
        int id = internId(1);
        long value = number(2, "size");
        if (value > Integer.MAX_VALUE) {
            throw error("size " + plain(2) + " is out of range (0 to " + Integer.MAX_VALUE + ")");
        }
        int align = 1;
        if (count == 4) {
            long requested = number(3, "alignment");
            if (requested > Trace.MAX_ALIGNMENT) {
                throw error("alignment " + plain(3) + " is out of range (1 to " + Trace.MAX_ALIGNMENT + ")");
            }
            if (requested == 0 || Long.bitCount(requested) != 1) {
                throw error("alignment " + plain(3) + " is not a power of two");
            }
            align = (int) requested;
        }
        set(what, id, (int) value, align, 0);
    }

    private void free(int count) {
        if (count < 2 || count > 3) {
            throw error((count < 2 ? "missing field" : "extra field")
                    + ": 'f' takes an ID and an optional delta: f ID [DELTA]");
        }
        int id = internId(1);
        int value = 0;
        if (count == 3) {
            if (isNegativeNumber(2)) {
                throw error("delta " + plain(2) + " is negative (it must be 0 or more)");
            }
            long requested = number(2, "delta");
            if (requested > Integer.MAX_VALUE) {
                throw error("delta " + plain(2) + " is out of range (0 to " + Integer.MAX_VALUE + ")");
            }
            value = (int) requested;
        }
        set(Trace.Kind.FREE, id, 0, 1, value);
    }

    private void set(Trace.Kind what, int id, int requestedSize, int requestedAlignment, int requestedDelta) {
        kind = what;
        line = lineNumber;
        idIndex = id;
        size = requestedSize;
        alignment = requestedAlignment;
        delta = requestedDelta;
    }

    /** Splits the line on runs of spaces and tabs; returns the number of fields, counting any past the fifth. */
    private int split() {
        int count = 0;
        int i = lineStart;
        while (i < lineEnd) {
            char c = buffer[i];
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < lineEnd && buffer[i] != ' ' && buffer[i] != '\t') {
                i++;
            }
            if (count < FIELDS) {
                fieldStart[count] = start;
                fieldEnd[count] = i;
            }
            count++;
        }
        return count;
    }

    private boolean is(int field, String word) {
        int start = fieldStart[field];
        if (fieldEnd[field] - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (buffer[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int internId(int field) {
        int start = fieldStart[field];
        int end = fieldEnd[field];
        for (int i = start; i < end; i++) {
            char c = buffer[i];
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                throw error("ID " + quoted(field) + " has the character '" + c
                        + "' (IDs are letters, digits, '_', '-' and '.')");
            }
        }
        return ids.intern(buffer, start, end - start);
    }

    /**
     * A non-negative decimal number, leading zeros allowed. One of more than 18 significant digits is returned
     * as {@link #TOO_LARGE}, which is beyond every range here, so that the caller's own range check reports
     * it with the caller's message.
     */
    private long number(int field, String what) {
        int start = fieldStart[field];
        int end = fieldEnd[field];
        if (!allDigits(start, end)) {
            throw error(what + " " + quoted(field) + " is not a number" + (isNegativeNumber(field) ? " of 0 or more"
                    : ""));
        }
        int first = start;
        while (first < end - 1 && buffer[first] == '0') {
            first++;
        }
        if (end - first > 18) {
            return TOO_LARGE;
        }
        long value = 0;
        for (int i = first; i < end; i++) {
            value = 10 * value + (buffer[i] - '0');
        }
        return value;
    }

    /** Whether the field is a minus sign followed by one or more decimal digits. */
    private boolean isNegativeNumber(int field) {
        int start = fieldStart[field];
        return fieldEnd[field] - start > 1 && buffer[start] == '-' && allDigits(start + 1, fieldEnd[field]);
    }

    private boolean allDigits(int start, int end) {
        if (start == end) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (buffer[i] < '0' || buffer[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** The field in quotes, cut to an excerpt when long. */
    private String quoted(int field) {
        return TraceFormatException.quote(CharBuffer.wrap(buffer, fieldStart[field], fieldEnd[field]
                - fieldStart[field]));
    }

    /** The field as it is when short (numbers are quoted only when cut). */
    private String plain(int field) {
        int length = fieldEnd[field] - fieldStart[field];
        return length <= TraceFormatException.QUOTE_LIMIT ? new String(buffer, fieldStart[field], length)
                : quoted(field);
    }

    private TraceFormatException error(String problem) {
        return new TraceFormatException(source, lineNumber, problem);
    }
}
