package io.github.emballoc.firstfit.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The side channel of the kill test: an append-only log in which the child reports, one line per record
 * written with one {@code write} call, what it has done to the heap. A record is written only after what it
 * reports is complete in the heap, so every block the log shows as live was live when the child was killed.
 *
 * <ul>
 *   <li>{@code A handle size crc}: the block at {@code handle} is allocated and its first {@code size} bytes
 *       hold a payload whose CRC-32 is {@code crc} (hexadecimal).</li>
 *   <li>{@code F handle}: the child is about to free the block (written before {@code free}); followed by
 *       {@code D handle} once {@code free} has returned. If the log ends after {@code F}, the free was in
 *       flight: the block may be freed or kept, with its payload intact. (Without {@code D}, a free that
 *       completed followed by an allocation not yet reported, which may reuse the block's bytes, would look
 *       like a kept block.)</li>
 *   <li>{@code R handle newSize crc}: the child is about to reallocate the block; {@code crc} is that of its
 *       first {@code min(size, newSize)} bytes. It is followed by {@code N handle} (reallocate returned
 *       {@code NULL}: the block is live and unchanged) or by {@code M handle moved} as soon as reallocate has
 *       returned {@code moved}: the block lives at {@code moved} with those first bytes, and the {@code A}
 *       record that follows once the rest is written replaces it. If the log ends after {@code R}, the
 *       reallocation was in flight: the block may be freed (moved) or kept, and if kept, its first
 *       {@code min(size, newSize)} bytes are intact (the in-place rules may write past the new size before the
 *       operation happens).</li>
 * </ul>
 * A last line without its newline (the child was killed inside the {@code write}) is ignored.
 */
final class CrashLog {

    /** A live block as the log reports it. */
    record Block(int handle, int size, long crc) {
    }

    /**
     * The operation in flight when the log ends, if any: {@code newSize} is -1 for a free; a kept block still
     * holds {@link #intact()} bytes whose CRC-32 is {@code intactCrc}.
     */
    record InFlight(Block block, int newSize, long intactCrc) {
        boolean isFree() {
            return newSize < 0;
        }

        int intact() {
            return isFree() ? block.size() : Math.min(block.size(), newSize);
        }
    }

    /** What a log says: the live blocks, and the block of the operation in flight (or null). */
    record State(Map<Integer, Block> live, InFlight inFlight, int records) {
    }

    private final FileChannel channel;
    private final boolean force;

    private CrashLog(FileChannel channel, boolean force) {
        this.channel = channel;
        this.force = force;
    }

    /**
     * Opens a log for appending.
     *
     * @param force whether each record is forced to the storage device before {@code append} returns
     */
    static CrashLog append(Path file, boolean force) throws IOException {
        return new CrashLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), force);
    }

    void allocated(int handle, int size, long crc) throws IOException {
        write("A " + handle + " " + size + " " + Long.toHexString(crc));
    }

    void freeing(int handle) throws IOException {
        write("F " + handle);
    }

    void reallocating(int handle, int newSize, long intactCrc) throws IOException {
        write("R " + handle + " " + newSize + " " + Long.toHexString(intactCrc));
    }

    void freed(int handle) throws IOException {
        write("D " + handle);
    }

    void moved(int handle, int moved) throws IOException {
        write("M " + handle + " " + moved);
    }

    void notMoved(int handle) throws IOException {
        write("N " + handle);
    }

    private void write(String record) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        if (force) {
            channel.force(false);
        }
    }

    static long crc(byte[] bytes) {
        return crc(bytes, bytes.length);
    }

    static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /**
     * Reads a log (missing: empty).
     *
     * @throws IllegalStateException if the records contradict each other (a handle allocated while live, a
     *     free or reallocation of a block that is not live): the allocator handed out a live block twice
     */
    static State read(Path file) throws IOException {
        Map<Integer, Block> live = new LinkedHashMap<>();
        InFlight inFlight = null;
        int movedTo = -1; // the handle the last record (an M) moved a block to, or -1
        int records = 0;
        if (!Files.exists(file)) {
            return new State(live, null, 0);
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n') + 1; // a torn last line is dropped
        for (String line : text.substring(0, end).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            records++;
            String[] f = line.split(" ");
            int handle = Integer.parseInt(f[1]);
            int previousMove = movedTo;
            movedTo = -1;
            switch (f[0]) {
                case "A" -> {
                    if (live.containsKey(handle) && handle != previousMove) {
                        throw new IllegalStateException(file + ": record " + records + " allocates " + handle
                                + ", which is live: " + live.get(handle));
                    }
                    live.put(handle, new Block(handle, Integer.parseInt(f[2]), Long.parseLong(f[3], 16)));
                    inFlight = null;
                }
                case "F", "R" -> { // in flight until a D, M or N record says it completed
                    Block block = live.remove(handle);
                    if (block == null) {
                        throw new IllegalStateException(file + ": record " + records + " (" + line + ") names a block"
                                + " that is not live");
                    }
                    inFlight = f[0].equals("F") ? new InFlight(block, -1, block.crc())
                            : new InFlight(block, Integer.parseInt(f[2]), Long.parseLong(f[3], 16));
                }
                case "D", "M" -> {
                    if (inFlight == null || inFlight.block().handle() != handle
                            || inFlight.isFree() != f[0].equals("D")) {
                        throw new IllegalStateException(file + ": record " + records + " (" + line + ") follows no"
                                + (f[0].equals("D") ? " free" : " reallocation") + " of " + handle);
                    }
                    if (f[0].equals("M")) {
                        int moved = Integer.parseInt(f[2]);
                        if (live.containsKey(moved)) {
                            throw new IllegalStateException(file + ": record " + records + " moves " + handle
                                    + " to " + moved + ", which is live: " + live.get(moved));
                        }
                        live.put(moved, new Block(moved, inFlight.intact(), inFlight.intactCrc()));
                        movedTo = moved;
                    }
                    inFlight = null;
                }
                case "N" -> {
                    if (inFlight == null || inFlight.block().handle() != handle) {
                        throw new IllegalStateException(file + ": record " + records + " (" + line + ") follows no"
                                + " reallocation of " + handle);
                    }
                    live.put(handle, inFlight.block());
                    inFlight = null;
                }
                default -> throw new IllegalStateException(file + ": record " + records + " is unknown: " + line);
            }
        }
        return new State(live, inFlight, records);
    }

    /** Replaces the log by one {@code A} record per live block, atomically. */
    static void rewrite(Path file, Iterable<Block> live) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Block block : live) {
            text.append("A ").append(block.handle()).append(' ').append(block.size()).append(' ')
                    .append(Long.toHexString(block.crc())).append('\n');
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.write(temporary, text.toString().getBytes(StandardCharsets.US_ASCII));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
