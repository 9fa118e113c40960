package io.github.emballoc.testkit;

import io.github.emballoc.api.trace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The traces bundled in this artifact ({@code traces/NAME.trace}) with emballoc's replay output under best
 * fit ({@code NAME.best}, made by emballoc 0.3.0 itself) and this project's under first fit
 * ({@code NAME.first}).
 */
final class BundledTraces {

    /** The base names of the bundled traces. */
    static final List<String> NAMES = List.of("emballoc-walkthrough", "sample-77001-h64", "sample-77002-h256",
            "sample-77003-h1024", "sample-77004-h4096");

    private BundledTraces() {
    }

    static Trace trace(String name) {
        String file = "traces/" + name + ".trace";
        try (Reader in = new InputStreamReader(open(file), StandardCharsets.UTF_8)) {
            return Trace.parse(file, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + file, e);
        }
    }

    /** Returns the expected output with the extension {@code best} or {@code first}, line ends normalised. */
    static String expected(String name, String fit) {
        String file = "traces/" + name + "." + fit;
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + file, e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = BundledTraces.class.getResourceAsStream(file);
        if (in == null) {
            throw new IllegalStateException("the bundled " + file + " is missing from the emballoc-testkit artifact");
        }
        return in;
    }
}
