package io.github.emballoc.firstfit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the reference traces are: the copies bundled in the test kit (always present), and the binding
 * originals in {@code shared/traces} beside the repository (present on developer machines and in CI).
 * Tests run with the module folder as working directory.
 */
final class TraceFiles {
    static final Path BUNDLED = Path.of("../testkit/src/main/resources/io/github/emballoc/testkit/traces");
    static final Path SHARED = Path.of("../../shared/traces");

    private TraceFiles() {
    }

    /** The {@code .trace} files of a folder, sorted by name. */
    static List<Path> traces(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file beside {@code trace} with another extension. */
    static Path sibling(Path trace, String extension) {
        String name = trace.getFileName().toString();
        return trace.resolveSibling(name.substring(0, name.length() - ".trace".length()) + extension);
    }
}
