package io.github.emballoc.cli;

import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A trace named on the command line (a file, or {@code -} for standard input), read in constant memory.
 *
 * <p>{@link #check} reads it once to its end, checking every line, so that a malformed trace is refused
 * before anything is replayed; {@link #reopen()} then reads it again for the replay. A regular file is simply
 * read twice. Standard input, and anything else that cannot be read twice (a pipe, a device such as
 * {@code /dev/zero}), is copied to a temporary file while it is checked, so garbage still fails at its first
 * bad line; the copy is deleted by {@link #close()}. {@link #load} reads a trace into memory in one pass, for
 * {@code size}, which replays it many times.
 *
 * <p>Threads: one command uses an input.
 */
final class TraceInput implements AutoCloseable {

    /** The prefix of the temporary copies of standard input. */
    static final String SPOOL_PREFIX = "emballoc-trace-";
    /**
     * The system property that caps the temporary copy, in bytes (for tests, or to bound the disk a pipe may
     * take); the copy never takes more than half of the disk's free space, nor leaves less free than
     * {@link #RESERVE_FRACTION} of the disk, at least {@link #RESERVE_BYTES}.
     */
    static final String SPOOL_MAX_PROPERTY = "emballoc.spool.max";
    static final long RESERVE_BYTES = 1L << 30;
    static final double RESERVE_FRACTION = 0.05;
    /** How often the copy looks at the disk's free space again, in bytes copied. */
    private static final long RECHECK = 64L << 20;

    private final String name;
    private final Path path;
    private final boolean spooled;
    private final long operations;
    private final int idCount;
    private final TraceReader checked;

    private TraceInput(String name, Path path, boolean spooled, TraceReader checked) {
        this.name = name;
        this.path = path;
        this.spooled = spooled;
        this.checked = checked;
        this.operations = checked.operationCount();
        this.idCount = checked.idCount();
    }

    /**
     * Reads the trace to its end, checking every line (and copying standard input or a non-regular file to a
     * temporary file on the way).
     *
     * @throws io.github.emballoc.api.trace.TraceFormatException ({@code FILE:LINE: ...}) if a line breaks the
     *     format; nothing is left behind
     * @throws CliException (status 2) if the file cannot be read or the copy cannot be written
     */
    static TraceInput check(String name, InputStream stdin) {
        Path spool = null;
        boolean done = false;
        try {
            Path path;
            InputStream in;
            if ("-".equals(name) || !Files.isRegularFile(existing(name))) {
                spool = Files.createTempFile(SPOOL_PREFIX, ".trace");
                path = spool;
                in = new Tee(name, "-".equals(name) ? stdin : Files.newInputStream(path(name)), spool);
            } else {
                path = path(name);
                in = Files.newInputStream(path);
            }
            TraceReader reader = TraceReader.of(name, in);
            try (reader) {
                reader.skipToEnd();
            }
            TraceInput input = new TraceInput(name, path, spool != null, reader);
            done = true;
            return input;
        } catch (IOException e) {
            throw unreadable(name, e);
        } finally {
            if (!done && spool != null) {
                delete(spool);
            }
        }
    }

    /**
     * Reads the trace into memory in one pass.
     *
     * @throws io.github.emballoc.api.trace.TraceFormatException ({@code FILE:LINE: ...}) if a line breaks the
     *     format
     * @throws CliException (status 2) if the file cannot be read
     */
    static Trace load(String name, InputStream stdin) {
        try (TraceReader reader = "-".equals(name) ? TraceReader.of("-", stdin)
                : TraceReader.of(name, Files.newInputStream(existing(name)))) {
            return Trace.read(reader);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** Opens the checked trace again, from its start (the copy, for standard input). */
    TraceReader reopen() {
        try {
            return TraceReader.of(name, Files.newInputStream(path));
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** The number of operations the check read. */
    long operations() {
        return operations;
    }

    /** The number of distinct IDs the check read. */
    int idCount() {
        return idCount;
    }

    /** The heap size to replay with: the override, else the trace's {@code heap} line, else an error. */
    int heapSize(OptionalInt override) {
        return checked.resolveHeapSize(override);
    }

    /** Deletes the copy of standard input, if one was made. */
    @Override
    public void close() {
        if (spooled) {
            delete(path);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    /** The path of a file that must exist and not be a directory. */
    private static Path existing(String name) throws IOException {
        Path path = path(name);
        if (Files.isDirectory(path)) {
            throw CliException.usage(name + ": is a directory, not a trace");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(name);
        }
        return path;
    }

    /** Turns a file name into a path, or a usage error. */
    static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw CliException.usage(Converters.quote(name) + ": not a valid file name (" + e.getReason() + ")");
        }
    }

    /** A usage error for a file that cannot be read. */
    static CliException unreadable(String name, IOException e) {
        if (e instanceof NoSuchFileException) {
            return CliException.usage(name + ": no such file");
        }
        if (e instanceof AccessDeniedException) {
            return CliException.usage(name + ": permission denied");
        }
        if (e instanceof CharacterCodingException) {
            return CliException.usage(name + ": not UTF-8 text");
        }
        return new CliException(Emballoc.USAGE, name + ": cannot read: " + e.getMessage(), e);
    }

    /**
     * Copies what is read to a file; closing closes both. An input that would leave the disk with less than
     * the reserve (an endless pipe of valid lines) is stopped with a usage error rather than filling it.
     */
    private static final class Tee extends FilterInputStream {
        private final String name;
        private final Path file;
        private final OutputStream copy;
        private long copied;
        private long limit;
        private long nextCheck;

        Tee(String name, InputStream in, Path file) throws IOException {
            super(in);
            this.name = name;
            this.file = file;
            this.copy = Files.newOutputStream(file);
            this.limit = limit();
            this.nextCheck = RECHECK;
        }

        /** How many more bytes the copy may take from the start: the property's cap, and the disk's reserve. */
        private long limit() throws IOException {
            String property = System.getProperty(SPOOL_MAX_PROPERTY);
            long cap = Long.MAX_VALUE;
            if (property != null) {
                try {
                    cap = Long.parseLong(property.strip());
                } catch (NumberFormatException e) {
                    throw CliException.usage("system property " + SPOOL_MAX_PROPERTY + " " + Converters.quote(property)
                            + " is not a number of bytes");
                }
            }
            java.nio.file.FileStore store = Files.getFileStore(file);
            long reserve = Math.max(RESERVE_BYTES, (long) (store.getTotalSpace() * RESERVE_FRACTION));
            long usable = store.getUsableSpace();
            return Math.min(cap, copied + Math.max(0, Math.min(usable / 2, usable - reserve)));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n > 0) {
                if (copied + n > nextCheck) {
                    limit = Math.min(limit, limit());
                    nextCheck = copied + RECHECK;
                }
                if (copied + n > limit) {
                    throw CliException.usage(name + ": the input goes on past " + copied + " bytes, more than its"
                            + " temporary copy may take in " + file.getParent() + " (a trace that cannot be read twice"
                            + " is copied, and checked to its end, before anything is replayed); give a file");
                }
                copy.write(buffer, off, n);
                copied += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try (OutputStream out = copy) {
                out.flush();
            } finally {
                super.close();
            }
        }
    }
}
