package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.trace.TraceReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * {@code replay} in constant memory: a trace is checked, then replayed, one line at a time; standard input
 * and devices are copied to a temporary file that is always deleted; input that is not a trace fails at its
 * first line; and a trace far larger than its operations' arrays could be replays in a JVM of 32 MiB.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class StreamingReplayTest {

    @TempDir
    Path dir;

    private List<Path> temporaryBefore;

    private static List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith(TraceInput.SPOOL_PREFIX)
                    || p.getFileName().toString().startsWith(Spool.PREFIX)).collect(Collectors.toList());
        }
    }

    @BeforeEach
    void noteTemporaryFiles() throws IOException {
        temporaryBefore = temporaryFiles();
    }

    @AfterEach
    void noTemporaryFileIsLeftBehind() throws IOException {
        System.clearProperty(TraceInput.SPOOL_MAX_PROPERTY);
        List<Path> after = temporaryFiles();
        after.removeAll(temporaryBefore);
        assertEquals(List.of(), after, "temporary files left behind");
    }

    @Test
    void devZeroFailsAtOnceAtItsFirstLine() {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        long start = System.nanoTime();
        Cli.Result result = Cli.run("replay", "--heap", "64", "/dev/zero");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: /dev/zero:1: a NUL character at column 1: this is not a text file, and a trace is"
                + " text\n", result.err, result::toString);
        assertTrue(millis < 5000, "took " + millis + " ms");
    }

    @Test
    void endlessZerosOnStandardInputFailAfterOneBufferful() {
        CountingZeros zeros = new CountingZeros();
        Cli.Result result = run(zeros, "replay", "--heap", "64", "-");
        assertEquals(2, result.status, result::toString);
        assertEquals("emballoc: -:1: a NUL character at column 1: this is not a text file, and a trace is text\n",
                result.err, result::toString);
        assertTrue(zeros.read <= 1 << 17, "read " + zeros.read + " bytes");
    }

    @Test
    void anEndlessLineOnStandardInputFailsAtTheLengthLimit() {
        Cli.Result result = Cli.runWithInput("x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII), "replay",
                "--heap", "64", "-");
        assertEquals(2, result.status, result::toString);
        assertEquals("emballoc: -:1: the line is longer than 4096 characters (no trace line is): is this a trace?\n",
                result.err, result::toString);
    }

    @Test
    void endlessValidLinesOnStandardInputStopWhenTheCopyWouldTakeTooMuchDisk() {
        System.setProperty(TraceInput.SPOOL_MAX_PROPERTY, "1000000");
        InputStream endless = new InputStream() {
            private final byte[] line = "a x 8\nf x\n".getBytes(StandardCharsets.US_ASCII);
            private long at;

            @Override
            public int read() {
                return line[(int) (at++ % line.length)];
            }
        };
        Cli.Result result = run(endless, "replay", "--heap", "64", "-");
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: -: the input goes on past "), result::toString);
        assertTrue(result.err.endsWith(" bytes, more than its temporary copy may take in "
                + System.getProperty("java.io.tmpdir").replaceAll("/$", "") + " (a trace that cannot be read twice"
                + " is copied, and checked to its end, before anything is replayed); give a file\n"), result::toString);
    }

    @Test
    void aBadLastLineReplaysNothingFromAFileOrStandardInput() throws IOException {
        StringBuilder text = new StringBuilder("heap 4096\n");
        for (int i = 0; i < 50_000; i++) {
            text.append("a x").append(i % 7).append(" 8\nf x").append(i % 7).append('\n');
        }
        text.append("a y -1\n");
        Path trace = Cli.write(dir.resolve("bad-at-the-end.trace"), text.toString());
        Cli.Result fromFile = Cli.run("replay", trace.toString());
        assertEquals(2, fromFile.status, fromFile::toString);
        assertEquals("", fromFile.out, "nothing replayed, nothing printed");
        assertEquals("emballoc: " + trace + ":100002: size '-1' is not a number of 0 or more\n", fromFile.err);
        Cli.Result fromInput = Cli.runWithInput(text.toString().getBytes(StandardCharsets.UTF_8), "replay", "-");
        assertEquals(2, fromInput.status, fromInput::toString);
        assertEquals("emballoc: -:100002: size '-1' is not a number of 0 or more\n", fromInput.err);
    }

    @Test
    void standardInputIsReplayedFromItsCopyAndTheCopyIsDeleted() {
        String trace = Cli.resource("sample-77004-h4096.trace");
        Cli.Result result = Cli.runWithInput(trace.getBytes(StandardCharsets.UTF_8), "replay", "-");
        assertEquals(0, result.status, result::toString);
        assertEquals(Cli.resource("sample-77004-h4096.best"), result.out);
    }

    @Test
    void aLargeOutputIsHeldInATemporaryFileUntilTheCommandSucceeds() throws IOException {
        StringBuilder text = new StringBuilder("heap 4096\n");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 400_000; i++) {
            text.append("a block-with-a-long-name 8\nf block-with-a-long-name\n");
            expected.append("a block-with-a-long-name 4\nf block-with-a-long-name ok\n");
        }
        expected.append("e 0 free 4092\n");
        assertTrue(expected.length() > Spool.MEMORY_LIMIT, "the output must not fit the memory part of the spool");
        Path trace = Cli.write(dir.resolve("long.trace"), text.toString());
        Cli.Result result = Cli.run("replay", trace.toString());
        assertEquals(0, result.status, () -> result.err);
        assertEquals(expected.length(), result.out.length());
        assertEquals(expected.toString(), result.out);
    }

    @Test
    void theSpoolMovesToAFileAndBackWhole() throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        String text = "0123456789\u00e9".repeat(1000);
        try (Spool spool = new Spool(100)) {
            spool.write(text.substring(0, 50));
            assertFalse(spool.spilled());
            spool.write(text.substring(50));
            assertTrue(spool.spilled());
            spool.copyTo(copy);
        }
        assertEquals(text, copy.toString(StandardCharsets.UTF_8));
    }

    /**
     * A child JVM with 32 MiB of Java heap replays a trace of 2,100,000 operations: its operations alone, as
     * the replay held them before it streamed (an object of about 40 bytes and an int each, plus the output
     * in memory), would need several hundred MiB.
     */
    @Test
    void aTraceFarLargerThanMemoryReplaysInA32MebibyteJvm() throws Exception {
        int operations = 2_100_000;
        Path trace = dir.resolve("big.trace");
        try (BufferedWriter out = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            out.write("heap 65536\n");
            for (int i = 0; i < operations / 3; i++) {
                int id = i % 100;
                out.write("a b" + id + " " + (1 + i % 200) + "\nr b" + id + " " + (1 + i % 300) + " 8\nf b" + id
                        + "\n");
            }
        }
        Path output = dir.resolve("big.out");
        Path log = dir.resolve("child.log");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx32m", "-Xshare:auto",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), Emballoc.class.getName(),
                "replay", "--fit", "first", trace.toString())
                .redirectOutput(output.toFile()).redirectError(log.toFile()).start();
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String errors = Files.readString(log);
        assertTrue(exited, "the child did not finish in 120 s: " + errors);
        assertEquals(0, child.exitValue(), errors);
        long lines;
        long nulls;
        try (Stream<String> out = Files.lines(output)) {
            lines = out.filter(l -> !l.startsWith("e ")).count();
        }
        try (Stream<String> out = Files.lines(output)) {
            nulls = out.filter(l -> l.endsWith(" null")).count();
        }
        assertEquals(operations, lines);
        assertEquals(0, nulls, "100 small blocks fit a 64 KiB heap");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("big.out", "big.trace", "child.log"), left.map(p -> p.getFileName().toString())
                    .sorted().collect(Collectors.toList()), "the spooled output was deleted");
        }
    }

    /**
     * Reading a line whose ID is already known creates no object at all (HotSpot's per-thread allocation
     * counter does not move over 200,000 lines), so a streamed replay keeps nothing per line.
     */
    @Test
    void readingALineWithAKnownIdCreatesNoObject() throws IOException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        StringBuilder text = new StringBuilder("heap 4096\n");
        for (int i = 0; i < 200_000; i++) {
            text.append(i % 3 == 0 ? "a b" + (i % 50) + " " + (i % 700) + " 8\n" : i % 3 == 1 ? "f b" + (i % 50) + "\n"
                    : "r b" + (i % 50) + " 12\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        long allocated = 0;
        for (int round = 0; round < 3; round++) { // warm up twice, then measure
            TraceReader reader = TraceReader.of("t", new ByteArrayInputStream(bytes));
            for (int i = 0; i < 1000; i++) {
                assertTrue(reader.next());
            }
            long sum = 0;
            long before = counter.getCurrentThreadAllocatedBytes();
            while (reader.next()) {
                sum += reader.size() + reader.idIndex();
            }
            allocated = counter.getCurrentThreadAllocatedBytes() - before;
            assertTrue(sum > 0);
        }
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 199,000 lines");
    }

    private static Cli.Result run(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Emballoc.run(args, in, outStream, errStream);
        }
        return new Cli.Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                args);
    }

    /** Zeros for ever, counting what was read. */
    private static final class CountingZeros extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            read += len;
            return len;
        }
    }
}
