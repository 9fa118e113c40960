package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RawHeaps#map} and {@link MappedHeap}: creating (atomically, after checking the capacity), reopening,
 * refusing, locking against a second writer in this JVM and in another process, the read-only open beside a
 * writer, closing, and bytes that outlive the process.
 */
class MappedHeapTest {

    @TempDir
    Path dir;

    /** The names in {@link #dir}, to show that no temporary file is left behind. */
    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aMissingFileIsCreatedAtTheRequestedSizeAndZeroFilled() throws IOException {
        Path file = dir.resolve("new.heap");
        try (MappedHeap heap = RawHeaps.map(file, 100)) {
            assertEquals(100, heap.capacity());
            assertEquals(ByteOrder.LITTLE_ENDIAN, heap.order());
            assertEquals(file, heap.file());
            assertTrue(heap.isOpen());
            assertFalse(heap.isReadOnly());
            assertEquals(100, Files.size(file));
            assertArrayEquals(new byte[100], Files.readAllBytes(file));
            for (int i = 0; i < 100; i++) {
                assertEquals(0, heap.getByte(i));
            }
            assertEquals(List.of("new.heap"), names(), "no temporary file is left beside the heap");
        }
    }

    @Test
    void writesReachTheFileInTheHeapsOrder() throws IOException {
        Path le = dir.resolve("le.heap");
        Path be = dir.resolve("be.heap");
        try (MappedHeap little = RawHeaps.map(le, 8); MappedHeap big = RawHeaps.map(be, 8, ByteOrder.BIG_ENDIAN)) {
            little.putInt(1, 0x01020304);
            big.putInt(1, 0x01020304);
            little.force();
            big.force();
            assertArrayEquals(new byte[] {0, 4, 3, 2, 1, 0, 0, 0}, Files.readAllBytes(le));
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 0, 0, 0}, Files.readAllBytes(be));
        }
    }

    @Test
    void writesReachTheFileWithoutForce() throws IOException {
        Path file = dir.resolve("unforced.heap");
        try (MappedHeap heap = RawHeaps.map(file, 16)) {
            heap.putLong(8, 0x0102030405060708L);
            // the mapping is the page cache of the file: a plain read of the file sees it at once
            assertEquals(0x0102030405060708L,
                    ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
        }
    }

    @Test
    void reopeningAFileOfTheRightSizeSeesTheBytesWrittenBefore() throws IOException {
        Path file = dir.resolve("reopen.heap");
        try (MappedHeap heap = RawHeaps.map(file, 64)) {
            writePattern(heap);
        }
        try (MappedHeap again = RawHeaps.map(file, 64)) {
            assertPattern(again, 64);
            again.putLong(56, -2L);
        }
        try (MappedHeap third = RawHeaps.map(file, 64)) {
            assertEquals(-2L, third.getLong(56));
        }
    }

    @Test
    void aFileWrittenOtherwiseIsMappedAsItIs() throws IOException {
        Path file = dir.resolve("image.heap");
        Files.write(file, new byte[] {1, 0, 0, 0, 0, 0, 0, 2});
        try (MappedHeap heap = RawHeaps.map(file, 8, ByteOrder.BIG_ENDIAN)) {
            assertEquals(0x01000000, heap.getInt(0));
            assertEquals(2, heap.getInt(4));
        }
    }

    private static void writePattern(RawHeap heap) {
        for (int i = 0; i < heap.capacity(); i += 4) {
            heap.putInt(i, 0x5A000000 | i);
        }
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
        byte[] content = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, content);
        IllegalArgumentException larger = assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, 16));
        assertEquals("cannot map " + file + " as a heap of 16 bytes: the file exists and is 12 bytes long",
                larger.getMessage());
        IllegalArgumentException smaller = assertThrows(IllegalArgumentException.class,
                () -> RawHeaps.map(file, 8, ByteOrder.BIG_ENDIAN));
        assertEquals("cannot map " + file + " as a heap of 8 bytes: the file exists and is 12 bytes long",
                smaller.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file), "the file is neither extended nor truncated");
        try (MappedHeap heap = RawHeaps.map(file, 12)) {
            assertEquals('t', heap.getByte(0), "a refused map does not keep the file locked");
        }
    }

    @Test
    void anEmptyExistingFileIsRefusedForANonEmptyHeap() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.heap"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, 8));
        assertEquals("cannot map " + file + " as a heap of 8 bytes: the file exists and is 0 bytes long",
                e.getMessage());
        assertEquals(0, Files.size(file));
    }

    @Test
    void aCapacityNoAllocatorCanUseIsRefusedBeforeAnyFileIsMade() throws IOException {
        Path file = dir.resolve("odd.heap");
        for (int capacity : new int[] {10, 0, 4, 37, 6, -8, Integer.MIN_VALUE, Integer.MAX_VALUE, 2_147_483_646}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RawHeaps.map(file, capacity), "capacity " + capacity);
            assertEquals("cannot map " + file + " as a heap of " + capacity + " bytes: an allocator needs a capacity"
                    + " that is a multiple of 4 from 8 to 2147483644", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> RawHeaps.map(file, capacity, ByteOrder.BIG_ENDIAN));
        }
        assertEquals(List.of(), names(), "no heap file and no temporary file");
    }

    @Test
    void nullsAndUnreachablePathsAreRefused() throws IOException {
        assertThrows(NullPointerException.class, () -> RawHeaps.map(null, 8));
        assertThrows(NullPointerException.class, () -> RawHeaps.map(dir.resolve("x.heap"), 8, null));
        assertThrows(NullPointerException.class, () -> RawHeaps.mapReadOnly(null));
        assertThrows(NullPointerException.class, () -> RawHeaps.mapReadOnly(dir.resolve("x.heap"), null));
        assertThrows(IOException.class, () -> RawHeaps.map(dir.resolve("missing-dir").resolve("x.heap"), 8));
        assertThrows(IOException.class, () -> RawHeaps.map(dir, 8), "a directory is not a heap file");
        assertThrows(NoSuchFileException.class, () -> RawHeaps.mapReadOnly(dir.resolve("absent.heap")));
        assertEquals(List.of(), names());
    }

    // ------------------------------------------------------------------------------------------- one writer

    @Test
    void aSecondMapInThisJvmIsRefusedNamingTheFileUntilTheFirstIsClosed() throws IOException {
        Path file = dir.resolve("once.heap");
        Path sameFileOtherPath = dir.resolve(".").resolve("once.heap");
        Path link = Files.createSymbolicLink(dir.resolve("link.heap"), file.getFileName());
        try (MappedHeap first = RawHeaps.map(file, 32)) {
            first.putInt(0, 7);
            for (Path path : List.of(file, sameFileOtherPath, link)) {
                HeapFileLockedException e = assertThrows(HeapFileLockedException.class, () -> RawHeaps.map(path, 32));
                assertEquals(path.toString(), e.getFile());
                assertTrue(e.heldInThisJvm());
                assertEquals(path + ": already open as a heap in this JVM (share that MappedHeap, or close it first;"
                        + " RawHeaps.mapReadOnly reads the file beside it)", e.getMessage());
            }
            assertEquals(7, first.getInt(0), "the first heap is untouched");
        }
        try (MappedHeap again = RawHeaps.map(link, 32)) {
            assertEquals(7, again.getInt(0), "after close() the file can be mapped again");
        }
    }

    /**
     * The refused second map must not release the first one's lock: on Linux, closing any channel to a file
     * drops every lock the process holds on it, so the refusal must come before a channel is opened.
     */
    @Test
    void aRefusedSecondMapAndAReadOnlyOpenKeepTheFirstOnesLockAgainstOtherProcesses() throws Exception {
        Path file = dir.resolve("kept.heap");
        try (MappedHeap first = RawHeaps.map(file, 32)) {
            assertThrows(HeapFileLockedException.class, () -> RawHeaps.map(file, 32));
            try (MappedHeap reader = RawHeaps.mapReadOnly(file)) {
                assertEquals(32, reader.capacity());
            }
            String probe = MappedHeapChild.run("probe", file, 32);
            assertEquals("locked: " + file + ": locked by another process that has it open as a heap"
                    + " (RawHeaps.mapReadOnly reads the file beside that process)", probe);
        }
        assertEquals("opened 32", MappedHeapChild.run("probe", file, 32), "closing released the lock");
    }

    @Test
    void aFileHeldByAnotherProcessIsRefusedAndReadableBeside() throws Exception {
        Path file = dir.resolve("shared.heap");
        Process holder = MappedHeapChild.start("hold", file, 64);
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("held", output.readLine());
            HeapFileLockedException e = assertThrows(HeapFileLockedException.class, () -> RawHeaps.map(file, 64));
            assertFalse(e.heldInThisJvm());
            assertEquals(file.toString(), e.getFile());
            assertTrue(e.getMessage().startsWith(file + ": locked by another process"), e.getMessage());
            try (MappedHeap reader = RawHeaps.mapReadOnly(file)) {
                assertEquals(0x5A5A5A5A, reader.getInt(0), "the reader sees what the holder wrote");
            }
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, holder.exitValue());
        } finally {
            holder.destroyForcibly();
        }
        try (MappedHeap heap = RawHeaps.map(file, 64)) {
            assertEquals(0x5A5A5A5A, heap.getInt(0), "the holder closed; the file opens");
        }
    }

    @Test
    void theLockOfAKilledProcessIsReleased() throws Exception {
        Path file = dir.resolve("killed.heap");
        Process holder = MappedHeapChild.start("hold", file, 64);
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("held", output.readLine());
            holder.destroyForcibly();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        try (MappedHeap heap = RawHeaps.map(file, 64)) {
            assertEquals(0x5A5A5A5A, heap.getInt(0), "the killed process's write survived, unforced");
        }
    }

    /**
     * Three processes that create the same new file at the same moment: each one creates it, or opens the one
     * that won (and is refused, as the winner holds it), none sees a file of the wrong size, and no temporary
     * file is left. Whether a racer lost the creation race itself (it made its own temporary file and found
     * the name taken when it linked it) depends on timing; the debug log says so, and the figures are printed.
     */
    @Test
    void processesRacingToCreateOneFileEachCreateOrOpenTheWinnersFile() throws Exception {
        Path file = dir.resolve("race.heap");
        List<Process> racers = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Process racer = MappedHeapChild.start("race", file, 4096);
                racer.getOutputStream().close();
                racers.add(racer);
                outputs.add(new BufferedReader(new InputStreamReader(racer.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader output : outputs) {
                assertEquals("ready", output.readLine());
            }
            Files.createFile(dir.resolve("race.heap.go"));
            Map<String, Integer> outcomes = new TreeMap<>();
            for (int i = 0; i < racers.size(); i++) {
                assertTrue(racers.get(i).waitFor(60, TimeUnit.SECONDS));
                List<String> lines = outputs.get(i).lines().collect(Collectors.toList());
                System.out.println("racer " + i + ": " + lines);
                String result = lines.get(lines.size() - 1);
                assertTrue(result.equals("opened 4096")
                        || result.equals("locked: " + file + ": locked by another process that has it open as a"
                                + " heap (RawHeaps.mapReadOnly reads the file beside that process)"), String.join("\n", lines));
                outcomes.merge(result.startsWith("opened") ? "opened" : "locked", 1, Integer::sum);
                if (lines.stream().anyMatch(line -> line.contains("was created by another process while this one"))) {
                    outcomes.merge("lost the creation race", 1, Integer::sum);
                }
            }
            System.out.println("racing creators: " + outcomes);
            assertTrue(outcomes.getOrDefault("opened", 0) >= 1, outcomes.toString());
            assertEquals(4096, Files.size(file));
            assertEquals(List.of("race.heap", "race.heap.go"), names());
        } finally {
            racers.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void publishingNeverReplacesAFileThatAppearedMeanwhile() throws IOException {
        Path file = dir.resolve("winner.heap");
        Path mine = Files.write(dir.resolve(".winner.heap.1.tmp"), new byte[] {1});
        Files.write(file, new byte[] {2});
        assertFalse(MappedHeap.publish(mine, file));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(file), "the winner's file is kept");
        Files.delete(file);
        assertTrue(MappedHeap.publish(mine, file));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(file));
    }

    @Test
    void anUnclosedHeapThatIsLostIsClosedByTheGarbageCollector() throws Exception {
        Path file = dir.resolve("lost.heap");
        RawHeaps.map(file, 16).putInt(0, 3); // never closed, never referenced again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            System.gc();
            try (MappedHeap heap = RawHeaps.map(file, 16)) {
                assertEquals(3, heap.getInt(0));
                return;
            } catch (HeapFileLockedException stillHeld) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the lost heap's lock was not released within 20 s", stillHeld);
                }
                Thread.sleep(50);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- closing

    @Test
    void everyAccessAfterCloseThrowsIllegalStateNamingTheFile() throws IOException {
        Path file = dir.resolve("closed.heap");
        MappedHeap heap = RawHeaps.map(file, 64);
        heap.putLong(0, 99L);
        ByteBuffer view = heap.asByteBuffer(0, 8).order(ByteOrder.LITTLE_ENDIAN);
        heap.close();
        assertFalse(heap.isOpen());
        heap.close(); // idempotent
        List<Consumer<MappedHeap>> accesses = List.of(
                h -> h.getByte(0), h -> h.putByte(0, (byte) 1), h -> h.getInt(0), h -> h.putInt(0, 1),
                h -> h.getLong(0), h -> h.putLong(0, 1L), h -> h.getBytes(0, new byte[4], 0, 4),
                h -> h.putBytes(0, new byte[4], 0, 4), h -> h.fill(0, 4, (byte) 1), h -> h.copy(0, 8, 8),
                h -> h.asByteBuffer(0, 8), MappedHeap::force,
                h -> h.getInt(1000)); // even out of bounds: closed comes first
        for (Consumer<MappedHeap> access : accesses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> access.accept(heap));
            assertEquals("heap closed: mapped heap " + file + " of 64 bytes, LITTLE_ENDIAN (closed)", e.getMessage());
        }
        assertEquals(64, heap.capacity(), "capacity still answers");
        assertEquals(ByteOrder.LITTLE_ENDIAN, heap.order());
        assertEquals(99L, view.getLong(0), "a view taken before close() still reads the mapping: no crash");
        try (MappedHeap again = RawHeaps.map(file, 64)) {
            assertEquals(99L, again.getLong(0));
        }
    }

    @Test
    void forceWritesTheMappingBackAndIsHarmlessOnAReadOnlyHeap() throws IOException {
        Path file = dir.resolve("forced.heap");
        try (MappedHeap heap = RawHeaps.map(file, 32, ByteOrder.BIG_ENDIAN)) {
            heap.putInt(4, 0x0A0B0C0D);
            heap.force();
            try (MappedHeap reader = RawHeaps.mapReadOnly(file, ByteOrder.BIG_ENDIAN)) {
                reader.force();
                assertEquals(0x0A0B0C0D, reader.getInt(4));
            }
        }
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D}, java.util.Arrays.copyOf(
                Files.readAllBytes(file), 8));
    }

    // ------------------------------------------------------------------------------------------- read-only

    @Test
    void aReadOnlyHeapReadsBesideAWriterInThisJvmAndRefusesEveryWrite() throws IOException {
        Path file = dir.resolve("ro.heap");
        try (MappedHeap writer = RawHeaps.map(file, 32); MappedHeap reader = RawHeaps.mapReadOnly(file)) {
            assertTrue(reader.isReadOnly());
            assertEquals(32, reader.capacity());
            writer.putInt(8, 0x11223344);
            assertEquals(0x11223344, reader.getInt(8), "the reader sees the writer's change at once");
            byte[] before = Files.readAllBytes(file);
            List<Consumer<MappedHeap>> writes = List.of(h -> h.putByte(3, (byte) 1), h -> h.putInt(4, 1),
                    h -> h.putLong(8, 1L), h -> h.putBytes(12, new byte[4], 0, 4), h -> h.fill(16, 4, (byte) 1),
                    h -> h.copy(0, 20, 4));
            int[] offsets = {3, 4, 8, 12, 16, 20};
            int[] lengths = {1, 4, 8, 4, 4, 4};
            for (int i = 0; i < writes.size(); i++) {
                Consumer<MappedHeap> write = writes.get(i);
                ReadOnlyBufferException e = assertThrows(ReadOnlyBufferException.class, () -> write.accept(reader));
                assertEquals("mapped heap " + file + " of 32 bytes, LITTLE_ENDIAN is read-only: a write of "
                        + lengths[i] + " byte(s) at offset " + offsets[i] + " was refused", e.getMessage());
            }
            assertArrayEquals(before, Files.readAllBytes(file), "no refused write changed the file");
            assertTrue(reader.asByteBuffer(0, 8).isReadOnly(), "a read-only heap gives read-only views");
            assertThrows(IndexOutOfBoundsException.class, () -> reader.putInt(30, 1), "bounds come first");
        }
    }

    @Test
    void aReadOnlyHeapHasTheFilesSizeAndTheOrderAskedFor() throws IOException {
        Path file = Files.write(dir.resolve("dump.bin"), new byte[] {1, 2, 3, 4, 5});
        try (MappedHeap little = RawHeaps.mapReadOnly(file); MappedHeap big = RawHeaps.mapReadOnly(file,
                ByteOrder.BIG_ENDIAN)) {
            assertEquals(5, little.capacity(), "any size can be read");
            assertEquals(0x04030201, little.getInt(0));
            assertEquals(0x02030405, big.getInt(1));
            assertThrows(IndexOutOfBoundsException.class, () -> little.getInt(2));
        }
        try (MappedHeap writer = RawHeaps.map(dir.resolve("w.heap"), 8)) {
            assertNotNull(writer, "a reader holds no lock, so a writer opens beside it");
        }
    }

    @Test
    void aReaderOpenedFirstDoesNotHoldTheFileAgainstAWriter() throws Exception {
        Path file = dir.resolve("reader-first.heap");
        try (MappedHeap created = RawHeaps.map(file, 16)) {
            created.putInt(0, 5);
        }
        try (MappedHeap reader = RawHeaps.mapReadOnly(file); MappedHeap writer = RawHeaps.map(file, 16)) {
            writer.putInt(0, 6);
            assertEquals(6, reader.getInt(0));
            reader.close();
            assertEquals("locked: " + file + ": locked by another process that has it open as a heap"
                    + " (RawHeaps.mapReadOnly reads the file beside that process)", MappedHeapChild.run("probe", file,
                    16), "closing the reader left the writer's lock in place");
        }
    }

    /** A child JVM maps a new file, writes a pattern and exits; this JVM maps the file and reads it back. */
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

        try (MappedHeap heap = RawHeaps.map(file, 256)) {
            assertPattern(heap, 256);
        }
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
            try (MappedHeap heap = RawHeaps.map(file, capacity)) {
                writePattern(heap);
            }
            System.out.println("wrote " + capacity + " bytes");
        }
    }
}
