package io.github.emballoc.api.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The traces bundled in the testkit (read from its source folder, since {@code api} cannot depend on the
 * testkit): each parses, agrees with its file name and with its expected outputs line for line, and
 * replaying it against an allocator scripted from an expected output writes that output byte for byte.
 */
class BundledTracesTest {

    private static final Path TRACES = Paths.get(System.getProperty("basedir", "."))
            .resolve("../testkit/src/main/resources/io/github/emballoc/testkit/traces").normalize();

    static Stream<Path> traces() throws IOException {
        try (Stream<Path> files = Files.list(TRACES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted()
                    .collect(Collectors.toList()).stream();
        }
    }

    static Stream<Path> expectedOutputs() throws IOException {
        try (Stream<Path> files = Files.list(TRACES)) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.(best|first)")).sorted()
                    .collect(Collectors.toList()).stream();
        }
    }

    @Test
    void theBundledTracesAreThere() throws IOException {
        List<String> names = traces().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("emballoc-walkthrough.trace", "sample-77001-h64.trace", "sample-77002-h256.trace",
                "sample-77003-h1024.trace", "sample-77004-h4096.trace"), names, "in " + TRACES);
        assertEquals(10, expectedOutputs().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void everyBundledTraceParsesIntoOneOperationPerLine(Path file) throws IOException {
        Trace trace = Trace.parse(file);
        String name = file.getFileName().toString();
        Matcher sample = Pattern.compile("sample-\\d+-h(\\d+)\\.trace").matcher(name);
        int heap = sample.matches() ? Integer.parseInt(sample.group(1)) : 32;
        assertEquals(heap, trace.resolveHeapSize(OptionalInt.empty()), "the heap line of " + name);

        List<String> operationLines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < all.size(); i++) {
            String trimmed = all.get(i).strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith("heap")) {
                operationLines.add(trimmed);
                lineNumbers.add(i + 1);
            }
        }
        List<Trace.Operation> ops = trace.operations();
        assertEquals(operationLines.size(), ops.size(), "one operation per line of " + name);
        for (int i = 0; i < ops.size(); i++) {
            Trace.Operation op = ops.get(i);
            String where = name + ":" + lineNumbers.get(i) + " (" + operationLines.get(i) + ")";
            assertEquals(lineNumbers.get(i), op.line(), where);
            assertEquals(same(Trace.parse("line", operationLines.get(i)).operations().get(0)), same(op), where);
            assertEquals(same(op), same(Trace.parse("line", op.toTraceLine()).operations().get(0)),
                    where + " written back as " + op.toTraceLine());
        }
    }

    /** An operation's meaning, without its line or ID number. */
    private static String same(Trace.Operation op) {
        return op.kind() + " " + op.id() + " size " + op.size() + " align " + op.alignment() + " delta " + op.delta();
    }

    /**
     * Builds an allocator that answers exactly as the expected output says (checking the output's own
     * consistency with the trace format on the way), replays the trace against it, and compares the output.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedOutputs")
    void replayingAgainstTheScriptedOutcomesWritesTheExpectedOutputExactly(Path expectedFile) throws IOException {
        String name = expectedFile.getFileName().toString();
        Path traceFile = expectedFile.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".trace");
        Trace trace = Trace.parse(traceFile);
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        List<String> lines = expected.lines().toList();
        List<Trace.Operation> ops = trace.operations();

        ScriptedAllocator allocator = new ScriptedAllocator(trace.resolveHeapSize(OptionalInt.empty()));
        Map<String, Integer> bound = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Trace.Operation op = ops.get(i);
            String[] fields = lines.get(i).split(" ");
            String where = name + " line " + (i + 1) + " (" + lines.get(i) + ")";
            assertEquals(3, fields.length, where);
            assertEquals(op.kind() == Trace.Kind.ALLOCATE ? "a" : "f", fields[0], where);
            assertEquals(op.id(), fields[1], where);
            if (op.kind() == Trace.Kind.ALLOCATE) {
                if (fields[2].equals("null")) {
                    allocator.allocate(op.size(), op.alignment(), Allocator.NULL);
                    bound.remove(op.id());
                } else {
                    int handle = Integer.parseInt(fields[2]);
                    allocator.allocate(op.size(), op.alignment(), handle);
                    bound.put(op.id(), handle);
                }
            } else if (fields[2].equals("unknown-id")) {
                assertFalse(bound.containsKey(op.id()), where + ": unknown-id for a bound ID");
            } else {
                assertTrue(bound.containsKey(op.id()), where + ": an unbound ID reached the allocator");
                allocator.free(bound.get(op.id()) + op.delta(), outcome(fields[2], where));
            }
        }
        for (String line : lines.subList(ops.size(), lines.size())) {
            String[] fields = line.split(" ");
            assertEquals(4, fields.length, line);
            assertEquals("e", fields[0], line);
            assertTrue(fields[2].equals("used") || fields[2].equals("free"), line);
            allocator.entry(Integer.parseInt(fields[1]), fields[2].equals("used"), Integer.parseInt(fields[3]));
        }

        ReplayResult result = TraceReplayer.replay(trace, allocator);
        allocator.assertDone();
        assertEquals(expected, result.output());
        assertEquals(lines.size() - ops.size(), result.entries().count());
    }

    private static ReplayResult.FreeOutcome outcome(String word, String where) {
        for (ReplayResult.FreeOutcome outcome : ReplayResult.FreeOutcome.values()) {
            if (outcome.word().equals(word)) {
                return outcome;
            }
        }
        throw new AssertionError(where + ": no free outcome is called '" + word + "'");
    }
}
