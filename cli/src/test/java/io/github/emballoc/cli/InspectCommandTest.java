package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    /** The walkthrough's final heap: e 0 used 8, e 12 free 16 (32 bytes). */
    private static final String WALKTHROUGH_ENTRIES = "e 0 used 8\ne 12 free 16\n";

    @TempDir
    Path dir;

    private byte[] image;

    @BeforeEach
    void replayTheWalkthrough() throws IOException {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Path file = dir.resolve("walkthrough.img");
        Cli.Result replay = Cli.run("replay", "--image-out", file.toString(), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        image = Files.readAllBytes(file);
        assertEquals(32, image.length);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void printsEntriesAndStatistics() throws IOException {
        Path file = file("heap.img", image);
        Cli.Result result = Cli.run("inspect", file.toString());
        assertEquals(0, result.status, result::toString);
        assertEquals(WALKTHROUGH_ENTRIES, result.entryLines(), result::toString);
        assertTrue(result.out.startsWith(WALKTHROUGH_ENTRIES + "# " + file + ": 32 bytes, little-endian;"),
                result::toString);
        assertTrue(result.out.contains("# entries          2 (1 used, 1 free)\n"), result::toString);
        assertTrue(result.out.contains("# used             8 bytes of payload in 1 block\n"), result::toString);
        assertTrue(result.out.contains("# free             16 bytes of payload in 1 entry\n"), result::toString);
        assertTrue(result.out.contains("# largest free     16 bytes\n"), result::toString);
        assertTrue(result.out.contains("# fragmentation    0.0 %"), result::toString);
        assertTrue(result.out.contains("# header overhead  8 bytes"), result::toString);
        assertTrue(result.out.contains("# unusable         0 bytes"), result::toString);
        assertArrayEquals(image, Files.readAllBytes(file), "inspect must not change the image");
    }

    @Test
    void readsASliceOfALargerDumpWithDecimalOrHexOffsets() throws IOException {
        byte[] dump = new byte[16 + 32 + 16];
        Arrays.fill(dump, (byte) 0xFF);
        System.arraycopy(image, 0, dump, 16, 32);
        Path file = file("dump.bin", dump);
        for (String[] slice : new String[][] {{"16", "32"}, {"0x10", "0x20"}, {"0X10", "32"}}) {
            Cli.Result result = Cli.run("inspect", "--offset", slice[0], "--length", slice[1], file.toString());
            assertEquals(0, result.status, result::toString);
            assertEquals(WALKTHROUGH_ENTRIES, result.entryLines(), result::toString);
            assertTrue(result.out.contains("from offset 16 of the file; offsets are relative to the start of the heap"),
                    result::toString);
        }
        // Misaligned by two bytes: the first header reads 0xFF 0xFF and the start of the real one.
        Cli.Result misaligned = Cli.run("inspect", "--offset", "14", "--length", "32", file.toString());
        assertEquals(1, misaligned.status, misaligned::toString);
        assertEquals("", misaligned.out, misaligned::toString);
        assertTrue(misaligned.err.startsWith("emballoc: " + file + ": corrupt heap image: header at offset 0: "),
                misaligned::toString);
        assertTrue(misaligned.err.endsWith(" (offsets relative to the slice at file offset 14)\n"),
                misaligned::toString);
        assertArrayEquals(dump, Files.readAllBytes(file));
    }

    @Test
    void truncatedImageIsCorruptAtTheHeaderThatRunsPastTheEnd() throws IOException {
        Path file = file("truncated.img", Arrays.copyOf(image, 20));
        Cli.Result result = Cli.run("inspect", file.toString());
        assertEquals(1, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + file + ": corrupt heap image: header at offset 12: "),
                result::toString);
        assertEquals(1, result.err.lines().count(), result::toString);
    }

    @Test
    void imageThatIsNotAWholeNumberOfWordsIsCorrupt() throws IOException {
        Path file = file("odd.img", Arrays.copyOf(image, 30));
        Cli.Result result = Cli.run("inspect", file.toString());
        assertEquals(1, result.status, result::toString);
        assertEquals("emballoc: " + file + ": corrupt heap image: at offset 28: 2 stray bytes after the last whole"
                + " 4-byte word: a heap image is a whole number of words (30 bytes: truncated, or a wrong --offset or"
                + " --length?)\n", result.err, result::toString);
        assertEquals("", result.out);
    }

    @Test
    void imageSmallerThanAHeapIsCorrupt() throws IOException {
        Path file = file("tiny.img", Arrays.copyOf(image, 4));
        Cli.Result result = Cli.run("inspect", file.toString());
        assertEquals(1, result.status, result::toString);
        assertEquals("emballoc: " + file + ": corrupt heap image: at offset 0: the image is 4 bytes, smaller than the"
                + " smallest heap (8 bytes)\n", result.err, result::toString);
    }

    @Test
    void corruptHeadersAreReportedWithTheirOffset() throws IOException {
        ByteBuffer words = ByteBuffer.wrap(image.clone()).order(ByteOrder.LITTLE_ENDIAN);
        words.putInt(12, (1000 << 1)); // a free entry of 1000 bytes in a 32-byte heap
        Path tooLong = file("too-long.img", words.array());
        Cli.Result result = Cli.run("inspect", tooLong.toString());
        assertEquals(1, result.status, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + tooLong + ": corrupt heap image: header at offset 12: "),
                result::toString);

        words = ByteBuffer.wrap(image.clone()).order(ByteOrder.LITTLE_ENDIAN);
        words.putInt(12, (6 << 1) | 1); // a size that is not a multiple of 4
        Path notMultiple = file("not-multiple.img", words.array());
        result = Cli.run("inspect", notMultiple.toString());
        assertEquals(1, result.status, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + notMultiple + ": corrupt heap image: header at offset 12: "),
                result::toString);

        // Eight bytes of 0xFF after a sound image: the walk meets a header that claims the rest of memory.
        byte[] padded = Arrays.copyOf(image, 40);
        Arrays.fill(padded, 32, 40, (byte) 0xFF);
        Path trailing = file("trailing.img", padded);
        result = Cli.run("inspect", trailing.toString());
        assertEquals(1, result.status, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + trailing + ": corrupt heap image: header at offset 32: "),
                result::toString);
        assertEquals("", result.out);
    }

    @Test
    void uninitialisedImageIsReportedAsSuchAndLeftAlone() throws IOException {
        byte[] zeros = new byte[64];
        Path file = file("zeros.img", zeros);
        Cli.Result result = Cli.run("inspect", file.toString());
        assertEquals(0, result.status, result::toString);
        assertEquals("", result.entryLines(), result::toString);
        assertTrue(result.out.contains("# uninitialised: the first 4 bytes are zero"), result::toString);
        assertTrue(result.out.contains("e 0 free 60"), result::toString);
        assertArrayEquals(zeros, Files.readAllBytes(file), "inspect must not initialise the image");
    }

    @Test
    void sliceOutsideTheFileIsAUsageError() throws IOException {
        Path file = file("heap.img", image);
        Cli.Result past = Cli.run("inspect", "--offset", "40", file.toString());
        assertEquals(2, past.status, past::toString);
        assertEquals("emballoc: --offset 40 is past the end of " + file + " (32 bytes)\n", past.err, past::toString);

        Cli.Result tooLong = Cli.run("inspect", "--offset", "8", "--length", "32", file.toString());
        assertEquals(2, tooLong.status, tooLong::toString);
        assertEquals("emballoc: --offset 8 --length 32 runs past the end of " + file + " (32 bytes)\n", tooLong.err,
                tooLong::toString);

        Cli.Result badNumber = Cli.run("inspect", "--offset", "0xZZ", file.toString());
        assertEquals(2, badNumber.status, badNumber::toString);
        assertTrue(badNumber.err.contains("'0xZZ' is not a hexadecimal number"), badNumber::toString);

        Cli.Result missing = Cli.run("inspect", dir.resolve("none.img").toString());
        assertEquals(2, missing.status, missing::toString);
        assertEquals("emballoc: " + dir.resolve("none.img") + ": no such file\n", missing.err, missing::toString);
    }

    @Test
    void standardInputIsReadForADashWithOrWithoutASlice() throws IOException {
        Cli.Result whole = Cli.runWithInput(image, "inspect", "-");
        assertEquals(0, whole.status, whole::toString);
        assertEquals(WALKTHROUGH_ENTRIES, whole.entryLines(), whole::toString);
        assertTrue(whole.out.contains("# -: 32 bytes, little-endian;"), whole::toString);

        byte[] dump = new byte[16 + 32 + 16];
        Arrays.fill(dump, (byte) 0xFF);
        System.arraycopy(image, 0, dump, 16, 32);
        Cli.Result slice = Cli.runWithInput(dump, "inspect", "--offset", "16", "--length", "32", "-");
        assertEquals(0, slice.status, slice::toString);
        assertEquals(WALKTHROUGH_ENTRIES, slice.entryLines(), slice::toString);

        Cli.Result past = Cli.runWithInput(image, "inspect", "--offset", "40", "-");
        assertEquals(2, past.status, past::toString);
        assertEquals("emballoc: --offset 40 is past the end of standard input (32 bytes)\n", past.err);
        Cli.Result tooLong = Cli.runWithInput(image, "inspect", "--offset", "8", "--length", "32", "-");
        assertEquals(2, tooLong.status, tooLong::toString);
        assertEquals("emballoc: --offset 8 --length 32 runs past the end of standard input (32 bytes)\n", tooLong.err);
        Cli.Result tiny = Cli.runWithInput(Arrays.copyOf(image, 4), "inspect", "-");
        assertEquals(1, tiny.status, "a whole input too small to be a heap is a corrupt image, as a file is");
    }

    /** An option that selects no heap is a usage error (2); only the bytes of a heap can be corrupt (1). */
    @Test
    void optionsThatSelectNoHeapAreUsageErrors() throws IOException {
        Path file = file("heap.img", image);
        Cli.Result empty = Cli.run("inspect", "--length", "0", file.toString());
        assertEquals(2, empty.status, empty::toString);
        assertEquals("emballoc: --length 0 is not a heap size: a heap is a multiple of 4 from 8 to 2147483644 bytes\n",
                empty.err);
        Cli.Result odd = Cli.run("inspect", "--length", "30", file.toString());
        assertEquals(2, odd.status, odd::toString);
        assertEquals("emballoc: --length 30 is not a heap size: a heap is a multiple of 4 from 8 to 2147483644 bytes\n",
                odd.err);
        Cli.Result atTheEnd = Cli.run("inspect", "--offset", "32", file.toString());
        assertEquals(2, atTheEnd.status, atTheEnd::toString);
        assertEquals("emballoc: --offset 32 leaves 0 bytes of " + file + ", fewer than the smallest heap (8 bytes)\n",
                atTheEnd.err);
        Cli.Result fourLeft = Cli.run("inspect", "--offset", "28", file.toString());
        assertEquals(2, fourLeft.status, fourLeft::toString);
        assertEquals("emballoc: --offset 28 leaves 4 bytes of " + file + ", fewer than the smallest heap (8 bytes)\n",
                fourLeft.err);
        Cli.Result past = Cli.run("inspect", "--offset", "33", file.toString());
        assertEquals(2, past.status, past::toString);
        assertEquals("", empty.out + odd.out + atTheEnd.out + fourLeft.out + past.out);
    }

    @Test
    void bigEndianImage() throws IOException {
        ByteBuffer little = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer big = ByteBuffer.allocate(image.length).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < image.length; i += 4) {
            big.putInt(i, little.getInt(i));
        }
        Path file = file("big.img", big.array());
        Cli.Result result = Cli.run("inspect", "--order", "big", file.toString());
        assertEquals(0, result.status, result::toString);
        assertEquals(WALKTHROUGH_ENTRIES, result.entryLines(), result::toString);
        assertTrue(result.out.contains("32 bytes, big-endian;"), result::toString);
    }
}
