package io.github.emballoc.api.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceReader}: streaming in constant memory, failing fast on input that is not a trace, and reading
 * the same operations whatever the chunks its source delivers.
 */
class TraceReaderTest {

    /** Reads every operation back as trace lines with their line numbers. */
    private static List<String> read(TraceReader reader) throws IOException {
        List<String> ops = new ArrayList<>();
        while (reader.next()) {
            ops.add(reader.line() + ": " + Trace.line(reader.kind(), reader.id(), reader.size(), reader.alignment(),
                    reader.delta()) + " #" + reader.idIndex());
        }
        return ops;
    }

    /** An endless stream of one byte, counting what was read. */
    private static final class Endless extends InputStream {
        private final byte value;
        long read;

        Endless(byte value) {
            this.value = value;
        }

        @Override
        public int read() {
            read++;
            return value & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, value);
            read += len;
            return len;
        }
    }

    @Test
    void zerosFailAtTheFirstCharacterAfterOneBufferfulLikeDevZero() {
        Endless zeros = new Endless((byte) 0);
        TraceReader reader = TraceReader.of("/dev/zero", zeros);
        TraceFormatException e = assertThrows(TraceFormatException.class, reader::next);
        assertEquals("/dev/zero:1: a NUL character at column 1: this is not a text file, and a trace is text",
                e.getMessage());
        assertTrue(zeros.read <= 1 << 17, "read " + zeros.read + " bytes");
    }

    @Test
    void aNulAfterGoodLinesNamesItsLineAndColumn() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read(TraceReader.of("t", new StringReader("heap 64\na x 8\nf x\0\na y 4\n"))));
        assertEquals("t:3: a NUL character at column 4: this is not a text file, and a trace is text", e.getMessage());
    }

    @Test
    void anEndlessLineFailsAtTheLengthLimitWithoutReadingOn() {
        Endless letters = new Endless((byte) 'a');
        TraceReader reader = TraceReader.of("-", letters);
        TraceFormatException e = assertThrows(TraceFormatException.class, reader::next);
        assertEquals("-:1: the line is longer than 4096 characters (no trace line is): is this a trace?",
                e.getMessage());
        assertTrue(letters.read <= 1 << 17, "read " + letters.read + " bytes");
    }

    @Test
    void aLineOfExactlyTheLimitIsAcceptedAndOneMoreIsNot() throws IOException {
        String longest = "#" + "x".repeat(TraceReader.MAX_LINE_LENGTH - 1);
        assertEquals(List.of("2: a x 1 #0"), read(TraceReader.of("t", new StringReader(longest + "\r\na x 1"))));
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read(TraceReader.of("t", new StringReader("a x 1\n" + longest + "x\na y 2\n"))));
        assertEquals("t:2: the line is longer than 4096 characters (no trace line is): is this a trace?",
                e.getMessage());
        String id = "i".repeat(TraceReader.MAX_LINE_LENGTH - 6);
        assertEquals(List.of("1: a " + id + " 1 #0"), read(TraceReader.of("t", new StringReader("a " + id + " 1\n"))));
    }

    @Test
    void bytesThatAreNotUtf8NameTheirLine() {
        byte[] bytes = "heap 16\n# caf\u00e9 is fine\n# caf?\na x 4\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 8] = (byte) 0xC3; // the '?': a lead byte followed by a newline
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read(TraceReader.of("b.trace", new ByteArrayInputStream(bytes))));
        assertEquals("b.trace:3: not UTF-8 text: bytes that are not UTF-8 after column 5", e.getMessage());

        byte[] truncated = Arrays.copyOf("a x 4\n# \u00e9".getBytes(StandardCharsets.UTF_8), 9);
        e = assertThrows(TraceFormatException.class,
                () -> read(TraceReader.of("b.trace", new ByteArrayInputStream(truncated))));
        assertEquals("b.trace:2: not UTF-8 text: bytes that are not UTF-8 after column 2", e.getMessage(),
                "a sequence cut by the end of the input");
    }

    @Test
    void accessorsRefuseWhenThereIsNoCurrentOperation() throws IOException {
        TraceReader reader = TraceReader.of("t", new StringReader("heap 32\na x 4\n"));
        assertThrows(IllegalStateException.class, reader::kind);
        assertEquals(OptionalInt.empty(), reader.heapSize());
        assertTrue(reader.next());
        assertEquals(OptionalInt.of(32), reader.heapSize());
        assertEquals(Trace.Kind.ALLOCATE, reader.kind());
        assertEquals("x", reader.id());
        assertEquals("x", reader.id(0));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.id(1));
        assertFalse(reader.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, reader::size);
        assertEquals("no current operation: call next() first, and only while it returns true", e.getMessage());
        assertEquals(1, reader.operationCount());
        assertEquals(1, reader.idCount());
        assertFalse(reader.next(), "the end stays the end");
    }

    @Test
    void skipToEndChecksEveryLineAndCounts() throws IOException {
        assertEquals(3, TraceReader.of("t", new StringReader("a x 1\nf x\n\nr x 2 4\n")).skipToEnd());
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceReader.of("t", new StringReader("a x 1\nf x\nq\n")).skipToEnd());
        assertEquals("t:3: unknown command 'q' (expected heap, a, f or r)", e.getMessage());
    }

    @Test
    void closeClosesTheSource() throws IOException {
        boolean[] closed = new boolean[2];
        TraceReader.of("t", new StringReader("") {
            @Override
            public void close() {
                closed[0] = true;
            }
        }).close();
        TraceReader.of("t", new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[1] = true;
            }
        }).close();
        assertTrue(closed[0] && closed[1]);
    }

    /**
     * Random traces with every kind of line end, read from a source that delivers random small chunks (so
     * that a CR LF, a line or a multi-byte character is split across reads at every possible point), read
     * exactly as the whole text read at once.
     */
    @Test
    void chunksOfAnySizeReadTheSameOperations() throws IOException {
        long seed = 0xC0FFEEL;
        SplittableRandom random = new SplittableRandom(seed);
        String[] ends = {"\n", "\r\n", "\r"};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
            int lines = 1 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 200);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(5)) {
                    case 0 -> text.append("a i").append(random.nextInt(30)).append(' ').append(random.nextInt(5000));
                    case 1 -> text.append("f\ti").append(random.nextInt(30)).append(random.nextBoolean() ? " 3" : "");
                    case 2 -> text.append("  r i").append(random.nextInt(30)).append(" 7 ").append(1 << random.nextInt(9));
                    case 3 -> text.append("# caf\u00e9 \u20ac ").append("#".repeat(random.nextInt(random.nextInt(20) == 0 ? 4000 : 60)));
                    default -> text.append("");
                }
                text.append(ends[random.nextInt(3)]);
            }
            String whole = text.toString();
            List<String> expected = read(TraceReader.of("t", new StringReader(whole)));
            long chunkSeed = random.nextLong();
            List<String> chunked = read(TraceReader.of("t", new Trickle(new StringReader(whole), chunkSeed)));
            assertEquals(expected, chunked, "round " + round + " of seed " + seed + ", chunk seed " + chunkSeed);
            byte[] bytes = whole.getBytes(StandardCharsets.UTF_8);
            List<String> fromBytes = read(TraceReader.of("t", new TrickleBytes(bytes, chunkSeed)));
            assertEquals(expected, fromBytes, "bytes, round " + round + " of seed " + seed);
        }
    }

    /** A reader that returns at most a random handful of characters per call. */
    private static final class Trickle extends Reader {
        private final Reader in;
        private final SplittableRandom random;

        Trickle(Reader in, long seed) {
            this.in = in;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read(char[] buffer, int off, int len) throws IOException {
            return in.read(buffer, off, Math.min(len, 1 + random.nextInt(7)));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A stream that returns at most a random handful of bytes per call. */
    private static final class TrickleBytes extends InputStream {
        private final ByteArrayInputStream in;
        private final SplittableRandom random;

        TrickleBytes(byte[] bytes, long seed) {
            this.in = new ByteArrayInputStream(bytes);
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int off, int len) {
            return in.read(buffer, off, Math.min(len, 1 + random.nextInt(5)));
        }
    }
}
