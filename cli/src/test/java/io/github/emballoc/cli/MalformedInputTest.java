package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed trace is one line on standard error with its exact message, status 2, nothing on stdout. */
class MalformedInputTest {

    @TempDir
    Path dir;

    static Stream<Arguments> malformedTraces() {
        return Stream.of(
                Arguments.of("unknown command", "heap 32\na x 8\nq x\n",
                        ":3: unknown command 'q' (expected heap, a, f or r)"),
                Arguments.of("missing field of a reallocation", "heap 32\na x 8\nr x\n",
                        ":3: missing field: 'r' takes an ID, a size and an optional alignment: r ID SIZE [ALIGN]"),
                Arguments.of("missing field", "heap 32\na x\n",
                        ":2: missing field: 'a' takes an ID, a size and an optional alignment: a ID SIZE [ALIGN]"),
                Arguments.of("missing field of a free", "heap 32\na x 8\nf\n",
                        ":3: missing field: 'f' takes an ID and an optional delta: f ID [DELTA]"),
                Arguments.of("bad number", "heap 32\na x 1z\n", ":2: size '1z' is not a number"),
                Arguments.of("alignment not a power of two", "heap 32\na x 8 3\n",
                        ":2: alignment 3 is not a power of two"),
                Arguments.of("negative delta", "heap 32\na x 8\nf x -4\n",
                        ":3: delta -4 is negative (it must be 0 or more)"),
                Arguments.of("heap after the first operation", "# t\na x 8\nheap 32\n",
                        ":3: 'heap' after the first operation (line 2); it must come before any 'a', 'f' or 'r'"),
                Arguments.of("no heap size at all", "a x 8\nf x\n",
                        ": no heap size: the trace has no 'heap' line and none was given (use --heap BYTES)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTraces")
    void replayReportsFileLineAndProblem(String what, String text, String expectedAfterFileName) {
        Path trace = Cli.write(dir.resolve("bad.trace"), text);
        Cli.Result result = Cli.run("replay", trace.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: " + trace + expectedAfterFileName + "\n", result.err, result::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTraces")
    void standardInputIsNamedDash(String what, String text, String expectedAfterFileName) {
        Cli.Result result = Cli.runWithInput(text.getBytes(StandardCharsets.UTF_8), "replay", "-");
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: -" + expectedAfterFileName + "\n", result.err, result::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTraces")
    void sizeRefusesTheSameTraces(String what, String text, String expectedAfterFileName) {
        Path trace = Cli.write(dir.resolve("bad.trace"), text);
        Cli.Result result = Cli.run("size", trace.toString());
        if (what.equals("no heap size at all")) {
            assertEquals(0, result.status, result::toString); // size does not need one: it finds one
            return;
        }
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: " + trace + expectedAfterFileName + "\n", result.err, result::toString);
    }

    @Test
    void debugAddsTheStackTrace() {
        Path trace = Cli.write(dir.resolve("bad.trace"), "heap 32\na x 8 3\n");
        Cli.Result result = Cli.run("replay", "--debug", trace.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + trace + ":2: alignment 3 is not a power of two\n"),
                result::toString);
        assertTrue(result.err.contains("TraceFormatException") && result.err.contains("\tat "), result::toString);
    }

    @Test
    void missingFileIsAUsageError() {
        Path missing = dir.resolve("missing.trace");
        Cli.Result result = Cli.run("replay", missing.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("emballoc: " + missing + ": no such file\n", result.err, result::toString);
        assertEquals("", result.out);
    }

    @Test
    void directoryIsAUsageError() {
        Cli.Result result = Cli.run("size", dir.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("emballoc: " + dir + ": is a directory, not a trace\n", result.err, result::toString);
    }

    @Test
    void badHeapOptionIsAUsageError() {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        for (String heap : new String[] {"30", "4", "2147483648", "-8", "0x1g", "lots"}) {
            Cli.Result result = Cli.run("replay", "--heap", heap, trace.toString());
            assertEquals(2, result.status, result::toString);
            assertEquals("", result.out, result::toString);
            assertTrue(result.err.startsWith("emballoc: Invalid value for option '--heap': "), result::toString);
            assertFalse(result.err.contains("\tat "), result::toString);
        }
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() {
        Cli.Result option = Cli.run("replay", "--fast", "x.trace");
        assertEquals(2, option.status, option::toString);
        assertTrue(option.err.startsWith("emballoc: Unknown option: '--fast'"), option::toString);
        assertTrue(option.err.contains("Run 'emballoc replay --help' for usage."), option::toString);

        Cli.Result command = Cli.run("explode");
        assertEquals(2, command.status, command::toString);
        assertTrue(command.err.startsWith("emballoc: Unmatched argument at index 0: 'explode'"), command::toString);

        Cli.Result fit = Cli.run("replay", "--fit", "worst", "x.trace");
        assertEquals(2, fit.status, fit::toString);
        assertTrue(fit.err.contains("'worst' is not a fit: use first or best"), fit::toString);

        Cli.Result nothing = Cli.run();
        assertEquals(2, nothing.status, nothing::toString);
        assertTrue(nothing.err.startsWith("emballoc: missing command"), nothing::toString);
        assertEquals("", nothing.out);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"demo", "replay", "size", "inspect", "providers"}) {
            Cli.Result help = Cli.run(command, "--help");
            assertEquals(0, help.status, help::toString);
            assertTrue(help.out.startsWith("Usage: emballoc " + command), help::toString);
            assertEquals("", help.err, help::toString);
        }
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.status, top::toString);
        assertTrue(top.out.contains("Exit status: 0 success, 1 corrupt heap image, 2 usage error"), top::toString);
        Cli.Result inspect = Cli.run("help", "inspect");
        assertTrue(inspect.out.replaceAll("\\s+", " ").contains("relative to the start of the slice (--offset), not of"
                + " the file"), inspect::toString);
    }
}
