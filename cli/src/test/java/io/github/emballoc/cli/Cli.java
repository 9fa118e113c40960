package io.github.emballoc.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs the command through its real entry point, {@link Emballoc#run}, and keeps what it wrote. */
final class Cli {

    /** The bundled reference traces (testkit resources), by base name. */
    static final List<String> TRACES = List.of("emballoc-walkthrough", "sample-77001-h64", "sample-77002-h256",
            "sample-77003-h1024", "sample-77004-h4096");

    private static final String TRACE_RESOURCES = "/io/github/emballoc/testkit/traces/";

    /** What one run did. */
    static final class Result {
        final int status;
        final String out;
        final String err;
        final String[] args;

        Result(int status, String out, String err, String[] args) {
            this.status = status;
            this.out = out;
            this.err = err;
            this.args = args;
        }

        /** The lines of standard output that are entries ({@code e ...}). */
        String entryLines() {
            StringBuilder entries = new StringBuilder();
            for (String line : out.split("\n")) {
                if (line.startsWith("e ")) {
                    entries.append(line).append('\n');
                }
            }
            return entries.toString();
        }

        @Override
        public String toString() {
            return "emballoc " + String.join(" ", args) + "\n-> status " + status + "\n--- stdout:\n" + out
                    + "\n--- stderr:\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static Result runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin);
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Emballoc.run(args, in, outStream, errStream);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Arrays.copyOf(args, args.length));
    }

    /** Reads a bundled trace file (NAME.trace, NAME.best, NAME.first) from the test kit's resources. */
    static String resource(String fileName) {
        try (InputStream in = Cli.class.getResourceAsStream(TRACE_RESOURCES + fileName)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + TRACE_RESOURCES + fileName + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a bundled trace into {@code dir} and returns its path. */
    static Path traceFile(Path dir, String name) {
        return write(dir.resolve(name + ".trace"), resource(name + ".trace"));
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
