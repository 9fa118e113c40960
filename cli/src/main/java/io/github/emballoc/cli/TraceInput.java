package io.github.emballoc.cli;

import io.github.emballoc.api.trace.Trace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a trace named on the command line: a file, or {@code -} for standard input. */
final class TraceInput {

    private TraceInput() {
    }

    /**
     * Parses the trace; format errors propagate as {@code TraceFormatException} ({@code FILE:LINE: ...}).
     *
     * @throws CliException (status 2) if the file cannot be read
     */
    static Trace read(String name, InputStream stdin) {
        try {
            if ("-".equals(name)) {
                return Trace.parse("-", new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8
                        .newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT))));
            }
            Path path = path(name);
            if (Files.isDirectory(path)) {
                throw CliException.usage(name + ": is a directory, not a trace");
            }
            return Trace.parse(path);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** Turns a file name into a path, or a usage error. */
    static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw CliException.usage(name + ": not a valid file name (" + e.getReason() + ")");
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
}
