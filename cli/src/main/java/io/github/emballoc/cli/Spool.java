package io.github.emballoc.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command writes its output until it has succeeded: in memory up to {@link #MEMORY_LIMIT}
 * characters, then in a temporary file, so that the output of a replay larger than memory is still held back
 * until the command succeeds and then written out whole ({@link #copyTo}). {@link #close()} deletes the file.
 *
 * <p>A write that fails (a full disk) throws, and is also remembered, since a {@code PrintWriter} over the
 * spool would swallow it: {@link #copyTo} then reports it instead of writing a truncated output.
 *
 * <p>Threads: one command writes a spool.
 */
final class Spool extends Writer {

    /** The characters kept in memory before the output moves to a temporary file. */
    static final int MEMORY_LIMIT = 1 << 22;
    /** The prefix of the temporary files. */
    static final String PREFIX = "emballoc-output-";

    private final int memoryLimit;
    private StringBuilder memory = new StringBuilder();
    private Path file;
    private Writer fileWriter;
    private IOException failure;

    Spool() {
        this(MEMORY_LIMIT);
    }

    Spool(int memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            if (fileWriter == null && memory.length() + len <= memoryLimit) {
                memory.append(chars, off, len);
                return;
            }
            if (fileWriter == null) {
                file = Files.createTempFile(PREFIX, ".txt");
                fileWriter = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
                fileWriter.append(memory);
                memory = null;
            }
            fileWriter.write(chars, off, len);
        } catch (IOException e) {
            failure = new IOException("cannot hold the output in a temporary file: " + e.getMessage(), e);
            throw failure;
        }
    }

    @Override
    public void write(String text, int off, int len) throws IOException {
        if (fileWriter == null && failure == null && memory.length() + len <= memoryLimit) {
            memory.append(text, off, off + len);
            return;
        }
        write(text.toCharArray(), off, len);
    }

    @Override
    public void flush() throws IOException {
        if (fileWriter != null) {
            fileWriter.flush();
        }
    }

    /** Whether the output moved to a temporary file. */
    boolean spilled() {
        return file != null;
    }

    /**
     * Writes everything written so far to {@code out} (UTF-8).
     *
     * @throws IOException if a write to the spool failed earlier, or reading it or writing {@code out} fails
     */
    void copyTo(OutputStream out) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (fileWriter == null) {
            byte[] bytes = memory.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        } else {
            fileWriter.flush();
            Files.copy(file, out);
        }
        out.flush();
    }

    /** Deletes the temporary file, if there is one. */
    @Override
    public void close() {
        if (fileWriter != null) {
            try {
                fileWriter.close();
            } catch (IOException e) {
                // the file is deleted next; nothing is lost that was not already reported
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
            fileWriter = null;
        }
    }
}
