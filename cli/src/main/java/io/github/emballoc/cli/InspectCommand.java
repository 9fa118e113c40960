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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
                        + "of the first bad header, exit status 1."})
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

    @Parameters(paramLabel = "IMAGE", description = "The image or memory dump file.")
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

    /** Reads the slice into a new array; a slice outside the file is a usage error. */
    private byte[] readSlice() {
        Path path = TraceInput.path(imageName);
        if (Files.isDirectory(path)) {
            throw CliException.usage(imageName + ": is a directory, not a heap image");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long from = offset == null ? 0 : offset;
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
}
