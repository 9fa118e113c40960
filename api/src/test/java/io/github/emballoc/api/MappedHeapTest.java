package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RawHeaps#map}: creating, reopening, refusing, and bytes that outlive the process. */
class MappedHeapTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsCreatedAtTheRequestedSizeAndZeroFilled() throws IOException {
        Path file = dir.resolve("new.heap");
        RawHeap heap = RawHeaps.map(file, 100);
        assertEquals(100, heap.capacity());
        assertEquals(ByteOrder.LITTLE_ENDIAN, heap.order());
        assertEquals(100, Files.size(file));
        assertArrayEquals(new byte[100], Files.readAllBytes(file));
        for (int i = 0; i < 100; i++) {
            assertEquals(0, heap.getByte(i));
        }
    }

    @Test
    void writesReachTheFileInTheHeapsOrder() throws IOException {
        Path le = dir.resolve("le.heap");
        Path be = dir.resolve("be.heap");
        RawHeap little = RawHeaps.map(le, 8);
        RawHeap big = RawHeaps.map(be, 8, ByteOrder.BIG_ENDIAN);
        little.putInt(1, 0x01020304);
        big.putInt(1, 0x01020304);
        little.force();
        big.force();
        assertArrayEquals(new byte[] {0, 4, 3, 2, 1, 0, 0, 0}, Files.readAllBytes(le));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0, 0, 0}, Files.readAllBytes(be));
    }

    @Test
    void reopeningAFileOfTheRightSizeSeesTheBytesWrittenBefore() throws IOException {
        Path file = dir.resolve("reopen.heap");
        writePattern(file, 64);
        // the first heap is no longer referenced; a second mapping reads the file's content
        RawHeap again = RawHeaps.map(file, 64);
        assertPattern(again, 64);
        again.putLong(56, -2L);
        again.force();
        assertEquals(-2L, RawHeaps.map(file, 64).getLong(56));
    }

    @Test
    void aFileWrittenOtherwiseIsMappedAsItIs() throws IOException {
        Path file = dir.resolve("image.heap");
        Files.write(file, new byte[] {1, 0, 0, 0, 0, 0, 0, 2});
        RawHeap heap = RawHeaps.map(file, 8, ByteOrder.BIG_ENDIAN);
        assertEquals(0x01000000, heap.getInt(0));
        assertEquals(2, heap.getInt(4));
    }

    private static void writePattern(Path file, int capacity) throws IOException {
        RawHeap heap = RawHeaps.map(file, capacity);
        for (int i = 0; i < capacity; i += 4) {
            heap.putInt(i, 0x5A000000 | i);
        }
        heap.force();
    }

    private static void assertPattern(RawHeap heap, int capacity) {
        assertEquals(capacity, heap.capacity());
        for (int i = 0; i < capacity; i += 4) {
            assertEquals(0x5A000000 | i, heap.getInt(i), "int at offset " + i);
        }
    }

    @Test
    void anExistingFileOfAnotherSizeIsRefusedAndLeftAsItWas() throws IOException {
        Path file = dir.resolve("small.heap");
        byte[] content = "ten bytes!".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, content);
        IllegalArgumentException larger = assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, 16));
        assertEquals("cannot map " + file + " as a heap of 16 bytes: the file exists and is 10 bytes long",
                larger.getMessage());
        IllegalArgumentException smaller = assertThrows(IllegalArgumentException.class,
                () -> RawHeaps.map(file, 8, ByteOrder.BIG_ENDIAN));
        assertEquals("cannot map " + file + " as a heap of 8 bytes: the file exists and is 10 bytes long",
                smaller.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file), "the file is neither extended nor truncated");
    }

    @Test
    void anEmptyExistingFileIsRefusedForANonEmptyHeap() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.heap"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, 4));
        assertEquals("cannot map " + file + " as a heap of 4 bytes: the file exists and is 0 bytes long",
                e.getMessage());
        assertEquals(0, Files.size(file));
    }

    @Test
    void aNegativeCapacityIsRefusedAndCreatesNoFile() {
        Path file = dir.resolve("negative.heap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, -8));
        assertEquals("capacity -8 is negative", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, -1, ByteOrder.BIG_ENDIAN));
        assertFalse(Files.exists(file));
    }

    @Test
    void nullsAndUnreachablePathsAreRefused() {
        assertThrows(NullPointerException.class, () -> RawHeaps.map(null, 8));
        assertThrows(NullPointerException.class, () -> RawHeaps.map(dir.resolve("x.heap"), 8, null));
        assertThrows(IOException.class, () -> RawHeaps.map(dir.resolve("missing-dir").resolve("x.heap"), 8));
        assertThrows(IOException.class, () -> RawHeaps.map(dir, 8), "a directory is not a heap file");
    }

    @Test
    void anEmptyHeapCanBeMapped() throws IOException {
        Path file = dir.resolve("zero.heap");
        assertEquals(0, RawHeaps.map(file, 0).capacity());
        assertEquals(0, RawHeaps.map(file, 0).capacity());
        assertEquals(0, Files.size(file));
    }

    /**
     * A child JVM maps a new file and writes a pattern, then exits; this JVM maps the file and reads the
     * pattern back.
     */
    @Test
    void theBytesOutliveTheProcessThatWroteThem() throws Exception {
        Path file = dir.resolve("child.heap");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), ChildWriter.class.getName(),
                file.toString(), "256")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        Process child = builder.start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> log = Files.readAllLines(dir.resolve("child.log"));
        assertTrue(exited, "the child JVM did not exit within 60 s; its output: " + log);
        assertEquals(0, child.exitValue(), "the child JVM failed; its output: " + log);
        assertEquals(List.of("wrote 256 bytes"), log);

        RawHeap heap = RawHeaps.map(file, 256);
        assertPattern(heap, 256);
    }

    /** The child process of {@link #theBytesOutliveTheProcessThatWroteThem()}. */
    static final class ChildWriter {
        private ChildWriter() {
        }

        public static void main(String[] args) throws IOException {
            Path file = Paths.get(args[0]);
            int capacity = Integer.parseInt(args[1]);
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " exists before the child maps it");
            }
            writePattern(file, capacity);
            System.out.println("wrote " + capacity + " bytes");
        }
    }
}
