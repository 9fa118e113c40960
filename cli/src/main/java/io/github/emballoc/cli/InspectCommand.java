package io.github.emballoc.cli;

import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import io.github.emballoc.api.trace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code emballoc inspect}: checks a raw heap image and prints its entries and statistics. */
@Command(name = "inspect",
        header = "Check a raw heap image (or a slice of a dump) and print its entries.",
        description = {
                "Reads a raw heap image (or a slice of a larger memory dump), checks it against the heap format, "
                        + "and prints its entries in the replay format (e OFFSET used|free SIZE) followed by "
                        + "its statistics. The image is only read, never written.",
                "",
                "Offsets printed, and the offset of a bad header, are relative to the start of the slice "
                        + "(--offset), not of the file.",
                "",
                "An image whose first 4 bytes are zero is uninitialised (an allocator would start it as one "
                        + "free entry) and is reported as such. A corrupt image (a header whose entry runs past "
                        + "the end, a size that is not a multiple of 4, a walk that does not end at the image's "
                        + "end, a length that is not a whole number of 4-byte words) is reported with the offset "
                        + "of the first bad header, exit status 1. Options that select no heap (an --offset at or "
                        + "past the end, a --length that is not a heap size, a slice smaller than 8 bytes) are "
                        + "usage errors, exit status 2."})
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    Emballoc root;

    @Mixin
    CommonOptions common;

    @Option(names = "--order", paramLabel = "little|big", defaultValue = "little",
            converter = Converters.Order.class,
            description = "The byte order of the headers: the target's native order (emballoc writes native "
                    + "order). Default: little.")
    ByteOrder order;

    @Option(names = "--offset", paramLabel = "N", converter = Converters.Number.class,
            description = "Where the heap starts in the file, in bytes (decimal or 0x hex). Default: 0.")
    Long offset;

    @Option(names = "--length", paramLabel = "N", converter = Converters.Number.class,
            description = "The heap's size in bytes (decimal or 0x hex). Default: the rest of the file.")
    Long length;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Also draw the heap as an SVG picture in FILE (replaced if it exists): every entry as a "
                    + "bar as wide as its bytes, used and free payload in two colours, headers dark, the "
                    + "never-visited 4-byte tail marked, offsets on an axis. When entries are narrower than a "
                    + "pixel, each pixel column shows the share of used, free and header bytes it covers.")
    String svg;

    @Parameters(paramLabel = "IMAGE", description = "The image or memory dump file, or - for standard input.")
    String imageName;

    @Override
    public Integer call() {
        byte[] image = readSlice();
        int capacity = image.length;
        String where = sliceNote();
        if (capacity < Trace.MIN_HEAP) {
            throw corrupt(0, "the image is " + capacity + " bytes, smaller than the smallest heap ("
                    + Trace.MIN_HEAP + " bytes)" + where);
        }
        int stray = capacity % HeaderDescriptor.GRANULE;
        if (stray != 0) {
            int lastWord = capacity - stray;
            throw corrupt(lastWord, stray + " stray byte" + (stray == 1 ? "" : "s")
                    + " after the last whole 4-byte word: a heap image is a whole number of words (" + capacity
                    + " bytes: truncated, or a wrong --offset or --length?)" + where);
        }
        StringBuilder out = new StringBuilder();
        String heading = imageName + ": " + capacity + " bytes, " + Converters.name(order)
                + (offset == null || offset == 0 ? "" : ", from offset " + offset + " of the file")
                + "; offsets are relative to the start of the heap";
        if (isZeroWord(image)) {
            out.append("# ").append(heading).append('\n');
            out.append("# uninitialised: the first 4 bytes are zero, so the image holds no entries yet;"
                    + " an allocator would start it as one free entry: e 0 free ").append(capacity - HeaderDescriptor.HEADER_LENGTH).append('\n');
            if (svg != null) {
                out.append("# --svg: no picture written, as the image holds no entries\n");
            }
            root.out().append(out);
            return Emballoc.OK;
        }
        // A private copy (the bytes read from the file), read through the image format's checked walk: no
        // allocator, no critical section, nothing written.
        EntryList entries;
        HeapStats stats;
        try {
            RawHeap heap = RawHeaps.wrap(image, order);
            stats = HeapImage.check(heap);
            entries = EntryList.of(heap);
        } catch (HeapCorruptedException e) {
            throw new CliException(Emballoc.CORRUPT, imageName + ": " + e.getMessage() + where, e);
        }
        out.append(entries.replayLines());
        out.append("# ").append(heading).append('\n');
        StringBuilder statsText = new StringBuilder();
        StatsReport.write(stats, "# ", statsText);
        out.append(statsText);
        if (svg != null) {
            String shown = "-".equals(imageName) ? "standard input" : String.valueOf(TraceInput.path(imageName)
                    .getFileName());
            ReplayCommand.write(svg, HeapPicture.svg(shown, entries, stats, Converters.name(order))
                    .getBytes(StandardCharsets.UTF_8), "the picture");
        }
        root.out().append(out);
        return Emballoc.OK;
    }

    private CliException corrupt(int at, String what) {
        return new CliException(Emballoc.CORRUPT, imageName + ": corrupt heap image: at offset " + at + ": " + what);
    }

    private String sliceNote() {
        return offset == null || offset == 0 ? ""
                : " (offsets relative to the slice at file offset " + offset + ")";
    }

    private static boolean isZeroWord(byte[] image) {
        return image[0] == 0 && image[1] == 0 && image[2] == 0 && image[3] == 0;
    }

    /**
     * Reads the slice into a new array. A slice the options make empty, or smaller than the smallest heap,
     * or of a length that no heap has, or outside the file, is a usage error (status 2); a whole file that is
     * too small is a corrupt image (status 1, reported by the caller).
     */
    private byte[] readSlice() {
        long from = offset == null ? 0 : offset;
        if (length != null && (length < Trace.MIN_HEAP || length > Trace.MAX_HEAP
                || length % HeaderDescriptor.GRANULE != 0)) {
            throw CliException.usage("--length " + length + " is not a heap size: a heap is a multiple of 4 from "
                    + Trace.MIN_HEAP + " to " + Trace.MAX_HEAP + " bytes");
        }
        byte[] bytes = "-".equals(imageName) ? readStandardInput(from) : readFile(from);
        if (offset != null && bytes.length < Trace.MIN_HEAP) {
            throw CliException.usage("--offset " + from + " leaves " + bytes.length + (bytes.length == 1 ? " byte"
                    : " bytes") + " of " + imageName + ", fewer than the smallest heap (" + Trace.MIN_HEAP
                    + " bytes)");
        }
        return bytes;
    }

    private byte[] readFile(long from) {
        Path path = TraceInput.path(imageName);
        if (Files.isDirectory(path)) {
            throw CliException.usage(imageName + ": is a directory, not a heap image");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (from > fileSize) {
                throw CliException.usage("--offset " + from + " is past the end of " + imageName + " (" + fileSize
                        + " bytes)");
            }
            long count = length == null ? fileSize - from : length;
            if (count > fileSize - from) {
                throw CliException.usage("--offset " + from + " --length " + count + " runs past the end of "
                        + imageName + " (" + fileSize + " bytes)");
            }
            if (count > Trace.MAX_HEAP) {
                throw CliException.usage(imageName + ": a slice of " + count + " bytes is larger than the largest "
                        + "heap (" + Trace.MAX_HEAP + " bytes); give --offset and --length");
            }
            byte[] bytes = new byte[(int) count];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, from + buffer.position());
                if (read < 0) {
                    throw CliException.usage(imageName + ": the file ended after " + (from + buffer.position())
                            + " bytes while it was read");
                }
            }
            return bytes;
        } catch (IOException e) {
            throw TraceInput.unreadable(imageName, e);
        }
    }

    /** Reads the slice from standard input: skips {@code from} bytes, then reads the length or to the end. */
    private byte[] readStandardInput(long from) {
        InputStream in = root.stdin();
        try {
            long skipped = 0;
            while (skipped < from) {
                long n = in.skip(from - skipped);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw CliException.usage("--offset " + from + " is past the end of standard input ("
                                + skipped + " bytes)");
                    }
                    n = 1;
                }
                skipped += n;
            }
            byte[] bytes = in.readNBytes(length == null ? Trace.MAX_HEAP : (int) (long) length);
            if (length == null && bytes.length == Trace.MAX_HEAP && in.read() >= 0) {
                throw CliException.usage("-: standard input holds more than the largest heap (" + Trace.MAX_HEAP
                        + " bytes); give --offset and --length");
            }
            if (length != null && bytes.length < length) {
                throw CliException.usage("--offset " + from + " --length " + length + " runs past the end of"
                        + " standard input (" + (from + bytes.length) + " bytes)");
            }
            return bytes;
        } catch (IOException e) {
            throw TraceInput.unreadable(imageName, e);
        }
    }
}
