package io.github.emballoc.api.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Trace#parse}: the accepted syntax, every refusal with its exact {@code SOURCE:LINE: problem}. */
class TraceParseTest {

    private static Trace parse(String text) {
        return Trace.parse("t.trace", text);
    }

    private static void assertRefused(String expectedMessage, String text) {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> parse(text), text);
        assertEquals(expectedMessage, e.getMessage(), text);
        assertEquals("t.trace", e.source());
        String location = "t.trace:" + e.line() + ": ";
        assertTrue(expectedMessage.startsWith(location), "line() agrees with the message: " + e.line());
        assertEquals(expectedMessage.substring(location.length()), e.problem());
    }

    private static List<String> lines(Trace trace) {
        List<String> lines = new ArrayList<>();
        for (Trace.Operation op : trace.operations()) {
            lines.add(op.toTraceLine());
        }
        return lines;
    }

    // ---------------------------------------------------------------- accepted syntax

    @Test
    void operationsCarryTheirFieldsDefaultsAndLines() {
        Trace trace = parse("# header comment\n\nheap 64\na x 16\na y 5 8\nf x\nf y 3\n");
        assertEquals(OptionalInt.of(64), trace.heapSize());
        assertEquals("t.trace", trace.source());
        List<Trace.Operation> ops = trace.operations();
        assertEquals(4, ops.size());
        assertEquals(new Trace.Operation(Trace.Kind.ALLOCATE, 4, "x", 0, 16, 1, 0), ops.get(0));
        assertEquals(new Trace.Operation(Trace.Kind.ALLOCATE, 5, "y", 1, 5, 8, 0), ops.get(1));
        assertEquals(new Trace.Operation(Trace.Kind.FREE, 6, "x", 0, 0, 1, 0), ops.get(2));
        assertEquals(new Trace.Operation(Trace.Kind.FREE, 7, "y", 1, 0, 1, 3), ops.get(3));
        assertEquals("Trace[t.trace, heap 64, 4 operations, 2 IDs]", trace.toString());
    }

    @Test
    void reallocationsCarryTheirSizeAndAlignmentAndWriteBackTheShortestLine() {
        Trace trace = parse("heap 64\na x 16\nr x 32\nr\tx 5 8\nr y 0 0001\n");
        List<Trace.Operation> ops = trace.operations();
        assertEquals(new Trace.Operation(Trace.Kind.REALLOCATE, 3, "x", 0, 32, 1, 0), ops.get(1));
        assertEquals(new Trace.Operation(Trace.Kind.REALLOCATE, 4, "x", 0, 5, 8, 0), ops.get(2));
        assertEquals(new Trace.Operation(Trace.Kind.REALLOCATE, 5, "y", 1, 0, 1, 0), ops.get(3));
        assertEquals(List.of("a x 16", "r x 32", "r x 5 8", "r y 0"), lines(trace));
        Trace again = parse(String.join("\n", lines(trace)));
        assertEquals(lines(trace), lines(again), "written back, the lines parse to the same operations");
        assertEquals(Trace.Kind.REALLOCATE, trace.kind(2));
        assertEquals(5, trace.size(2));
        assertEquals(8, trace.alignment(2));
        assertEquals(0, trace.delta(2));
        assertEquals(4, trace.line(2));
        assertEquals(0, trace.idIndex(2));
        assertEquals("r x 5 8", trace.toTraceLine(2));
        assertEquals(4, trace.operationCount());
    }

    @Test
    void reallocationsAreRefusedAsAllocationsAre() {
        String r = "'r' takes an ID, a size and an optional alignment: r ID SIZE [ALIGN]";
        assertRefused("t.trace:1: missing field: " + r, "r x");
        assertRefused("t.trace:2: extra field: " + r, "a x 1\nr x 8 4 2");
        assertRefused("t.trace:1: size 'big' is not a number", "r x big");
        assertRefused("t.trace:1: size '-1' is not a number of 0 or more", "r x -1");
        assertRefused("t.trace:1: size 2147483648 is out of range (0 to 2147483647)", "r x 2147483648");
        assertRefused("t.trace:1: alignment 12 is not a power of two", "r x 8 12");
        assertRefused("t.trace:1: alignment 2147483648 is out of range (1 to 1073741824)", "r x 8 2147483648");
        assertRefused("t.trace:1: ID 'x/y' has the character '/' (IDs are letters, digits, '_', '-' and '.')",
                "r x/y 8");
        assertRefused("t.trace:2: 'heap' after the first operation (line 1); it must come before any 'a', 'f' or 'r'",
                "r x 8\nheap 64");
        assertRefused("t.trace:1: unknown command 'R' (expected heap, a, f or r)", "R x 8");
    }

    @Test
    void longInputIsQuotedAsAnExcerptThatSaysHowLongItWas() {
        String digits = "1234567890".repeat(100) + "x";
        assertRefused("t.trace:1: size '12345678901234567890123456789012...' (1001 characters) is not a number",
                "a x " + digits);
        String huge = "9".repeat(3000);
        assertRefused("t.trace:1: size '99999999999999999999999999999999...' (3000 characters) is out of range"
                + " (0 to 2147483647)", "a x " + huge);
        assertRefused("t.trace:1: ID 'iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii...' (41 characters) has the character '/'"
                + " (IDs are letters, digits, '_', '-' and '.')", "f " + "i".repeat(40) + "/ 4");
        assertRefused("t.trace:1: unknown command 'cccccccccccccccccccccccccccccccc...' (50 characters)"
                + " (expected heap, a, f or r)", "c".repeat(50));
        assertEquals("'" + "q".repeat(40) + "'", TraceFormatException.quote("q".repeat(40)),
                "up to 40 characters are quoted whole");
        assertEquals("'" + "q".repeat(32) + "...' (10485760 characters)",
                TraceFormatException.quote("q".repeat(10 << 20)));
    }

    @Test
    void idsAreNumberedInOrderOfFirstAppearanceWhetherAllocatedOrFreed() {
        Trace trace = parse("f ghost\na b 1\na a 1\nf b\na ghost 2\na c.1-x_Y 0\n");
        assertEquals(4, trace.idCount());
        assertEquals(List.of("ghost", "b", "a", "c.1-x_Y"),
                List.of(trace.id(0), trace.id(1), trace.id(2), trace.id(3)));
        int[] indexes = trace.operations().stream().mapToInt(Trace.Operation::idIndex).toArray();
        assertEquals(List.of(0, 1, 2, 1, 0, 3), Arrays.stream(indexes).boxed().toList());
        assertThrows(IndexOutOfBoundsException.class, () -> trace.id(4));
        assertThrows(IndexOutOfBoundsException.class, () -> trace.id(-1));
    }

    @Test
    void commentsBlankLinesTabsAndRunsOfSpacesAreAccepted() {
        String text = "   # indented comment\n#\n#heap 8 is a comment too\n\t\n   \n"
                + "heap\t32\n"
                + "\ta\t x \t 8 \t 4\t\n"
                + "  f   x   \n"
                + "a  y\t\t0\n";
        Trace trace = parse(text);
        assertEquals(OptionalInt.of(32), trace.heapSize());
        assertEquals(List.of("a x 8 4", "f x", "a y 0"), lines(trace));
        assertEquals(List.of(7, 8, 9), trace.operations().stream().map(Trace.Operation::line).toList());
    }

    @Test
    void crlfAndLoneCrLineEndsAreAcceptedAndCountedAsOneLineEach() {
        Trace crlf = parse("heap 16\r\na x 8\r\n\r\nf x 2\r\n");
        assertEquals(OptionalInt.of(16), crlf.heapSize());
        assertEquals(List.of("a x 8", "f x 2"), lines(crlf));
        assertEquals("x", crlf.id(0), "no carriage return sticks to the last field");
        assertEquals(List.of(2, 4), crlf.operations().stream().map(Trace.Operation::line).toList());

        assertRefused("t.trace:3: unknown command 'q' (expected heap, a, f or r)", "a x 1\r\n\r\nq\r\n");
        assertRefused("t.trace:2: size 'z' is not a number", "a x 1\ra y z\r");
    }

    @Test
    void anEmptyTraceHasNoOperationsAndNoHeapSize() {
        Trace trace = parse("");
        assertTrue(trace.operations().isEmpty());
        assertEquals(OptionalInt.empty(), trace.heapSize());
        assertEquals(0, trace.idCount());
        assertEquals("Trace[t.trace, heap unset, 0 operations, 0 IDs]", trace.toString());
        assertTrue(parse("# only a comment\n\n").operations().isEmpty());
    }

    @Test
    void numbersAtTheEdgesOfTheirRangesAreAccepted() {
        Trace trace = parse("heap 2147483644\na x 2147483647 1073741824\na y 0 1\nf x 2147483647\nf y 0\n"
                + "a z 0008 0016\n");
        assertEquals(OptionalInt.of(Trace.MAX_HEAP), trace.heapSize());
        assertEquals(new Trace.Operation(Trace.Kind.ALLOCATE, 2, "x", 0, Integer.MAX_VALUE, Trace.MAX_ALIGNMENT, 0),
                trace.operations().get(0));
        assertEquals(Integer.MAX_VALUE, trace.operations().get(2).delta());
        assertEquals(0, trace.operations().get(3).delta());
        assertEquals(8, trace.operations().get(4).size(), "leading zeros are decimal, not octal");
        assertEquals(16, trace.operations().get(4).alignment());
        assertEquals(OptionalInt.of(8), parse("heap 8").heapSize());
        assertEquals(3, parse("a x 00000000000000000000000003").operations().get(0).size(),
                "leading zeros do not count towards a number's length");
    }

    @Test
    void theOperationsListIsUnmodifiable() {
        Trace trace = parse("a x 1\n");
        assertThrows(UnsupportedOperationException.class, () -> trace.operations().clear());
    }

    @Test
    void toTraceLineWritesTheShortestLineThatParsesBackToTheSameOperation() {
        String text = "a x 16\na x 16 8\na x 0 1\nf x\nf x 0\nf x 12\n";
        Trace trace = parse(text);
        assertEquals(List.of("a x 16", "a x 16 8", "a x 0", "f x", "f x", "f x 12"), lines(trace));
        Trace again = parse(String.join("\n", lines(trace)));
        for (int i = 0; i < trace.operations().size(); i++) {
            Trace.Operation a = trace.operations().get(i);
            Trace.Operation b = again.operations().get(i);
            assertEquals(a.kind(), b.kind());
            assertEquals(a.id(), b.id());
            assertEquals(a.size(), b.size());
            assertEquals(a.alignment(), b.alignment());
            assertEquals(a.delta(), b.delta());
        }
    }

    @Test
    void operationsRefuseImpossibleParts() {
        assertThrows(NullPointerException.class, () -> new Trace.Operation(null, 1, "x", 0, 1, 1, 0));
        assertThrows(NullPointerException.class, () -> new Trace.Operation(Trace.Kind.FREE, 1, null, 0, 0, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trace.Operation(Trace.Kind.ALLOCATE, 1, "x", 0, -1, 1, 0));
        assertEquals("bad operation: size -1, alignment 1, delta 0, id index 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Trace.Operation(Trace.Kind.ALLOCATE, 1, "x", 0, 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Trace.Operation(Trace.Kind.ALLOCATE, 1, "x", 0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Trace.Operation(Trace.Kind.ALLOCATE, 1, "x", 0, 1, Integer.MIN_VALUE, 0));
        assertThrows(IllegalArgumentException.class, () -> new Trace.Operation(Trace.Kind.FREE, 1, "x", 0, 0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Trace.Operation(Trace.Kind.FREE, 1, "x", -1, 0, 1, 0));
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void unknownCommandsAreRefused() {
        assertRefused("t.trace:1: unknown command 'alloc' (expected heap, a, f or r)", "alloc x 8");
        assertRefused("t.trace:2: unknown command 'A' (expected heap, a, f or r)", "a x 1\nA x 8");
        assertRefused("t.trace:1: unknown command 'HEAP' (expected heap, a, f or r)", "HEAP 8");
        assertRefused("t.trace:1: unknown command 'e' (expected heap, a, f or r)", "e 0 used 8",
                "replay output is not a trace");
    }

    private static void assertRefused(String expectedMessage, String text, String why) {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> parse(text), why);
        assertEquals(expectedMessage, e.getMessage(), why);
    }

    @Test
    void missingAndExtraFieldsAreRefused() {
        String heap = "'heap' takes one field, the heap size: heap SIZE";
        String a = "'a' takes an ID, a size and an optional alignment: a ID SIZE [ALIGN]";
        String f = "'f' takes an ID and an optional delta: f ID [DELTA]";
        assertRefused("t.trace:1: missing field: " + heap, "heap");
        assertRefused("t.trace:1: extra field: " + heap, "heap 8 8");
        assertRefused("t.trace:1: missing field: " + a, "a");
        assertRefused("t.trace:1: missing field: " + a, "a x");
        assertRefused("t.trace:1: extra field: " + a, "a x 8 4 2");
        assertRefused("t.trace:1: extra field: " + a, "a x 8 4 2 1 0 0 0");
        assertRefused("t.trace:1: extra field: " + a, "a x 8 # no comments after an operation");
        assertRefused("t.trace:3: missing field: " + f, "a x 1\n\nf");
        assertRefused("t.trace:1: extra field: " + f, "f x 1 2");
    }

    @Test
    void numbersThatDoNotParseAreRefused() {
        assertRefused("t.trace:1: size 'eight' is not a number", "a x eight");
        assertRefused("t.trace:1: size '1e3' is not a number", "a x 1e3");
        assertRefused("t.trace:1: size '0x10' is not a number", "a x 0x10");
        assertRefused("t.trace:1: size '+5' is not a number", "a x +5");
        assertRefused("t.trace:1: size '-1' is not a number of 0 or more", "a x -1");
        assertRefused("t.trace:1: size '-' is not a number", "a x -");
        assertRefused("t.trace:1: size '\u0661\u0662' is not a number", "a x \u0661\u0662");
        assertRefused("t.trace:1: alignment 'x' is not a number", "a x 8 x");
        assertRefused("t.trace:1: alignment '-8' is not a number of 0 or more", "a x 8 -8");
        assertRefused("t.trace:1: delta 'four' is not a number", "f x four");
        assertRefused("t.trace:1: heap size '4k' is not a number", "heap 4k");
        assertRefused("t.trace:1: heap size '-64' is not a number of 0 or more", "heap -64");
    }

    @Test
    void sizesAndDeltasOutOfRangeAreRefused() {
        assertRefused("t.trace:1: size 2147483648 is out of range (0 to 2147483647)", "a x 2147483648");
        assertRefused("t.trace:1: size 999999999999999999 is out of range (0 to 2147483647)",
                "a x 999999999999999999");
        assertRefused("t.trace:1: size 99999999999999999999999 is out of range (0 to 2147483647)",
                "a x 99999999999999999999999");
        assertRefused("t.trace:1: delta 2147483648 is out of range (0 to 2147483647)", "f x 2147483648");
        assertRefused("t.trace:1: delta 18446744073709551616 is out of range (0 to 2147483647)",
                "f x 18446744073709551616");
    }

    @Test
    void negativeDeltasAreRefused() {
        assertRefused("t.trace:1: delta -4 is negative (it must be 0 or more)", "f x -4");
        assertRefused("t.trace:1: delta '-' is not a number", "f x -");
        assertRefused("t.trace:1: delta '-abc' is not a number", "f x -abc");
    }

    @ParameterizedTest
    @CsvSource({"0", "3", "6", "12", "1073741823", "1000000000"})
    void alignmentsThatAreNotPowersOfTwoAreRefused(String alignment) {
        assertRefused("t.trace:1: alignment " + alignment + " is not a power of two", "a x 8 " + alignment);
    }

    @ParameterizedTest
    @CsvSource({"2147483648", "4294967296", "1073741825", "3000000000", "18446744073709551616"})
    void alignmentsBeyondTheLargestIntPowerOfTwoAreOutOfRange(String alignment) {
        assertRefused("t.trace:1: alignment " + alignment + " is out of range (1 to 1073741824)",
                "a x 8 " + alignment);
    }

    @Test
    void idsWithOtherCharactersAreRefusedNamingTheCharacter() {
        String rule = " (IDs are letters, digits, '_', '-' and '.')";
        assertRefused("t.trace:1: ID 'a/b' has the character '/'" + rule, "a a/b 8");
        assertRefused("t.trace:1: ID 'x#' has the character '#'" + rule, "a x# 8");
        assertRefused("t.trace:1: ID 'caf\u00e9' has the character '\u00e9'" + rule, "f caf\u00e9");
        assertRefused("t.trace:1: ID 'a,b' has the character ','" + rule, "f a,b 4");
        assertRefused("t.trace:1: ID 'x\u00a0y' has the character '\u00a0'" + rule, "a x\u00a0y 8",
                "a no-break space is not a separator");
    }

    @Test
    void aSecondHeapLineIsRefused() {
        assertRefused("t.trace:3: a second 'heap' line (the first is line 1)", "heap 8\n# again\nheap 8");
        assertRefused("t.trace:2: a second 'heap' line (the first is line 1)", "heap 8\nheap 16");
    }

    @Test
    void aHeapLineAfterTheFirstOperationIsRefused() {
        assertRefused("t.trace:4: 'heap' after the first operation (line 2); it must come before any 'a', 'f' or 'r'",
                "# c\na x 8\nf x\nheap 64");
        assertRefused("t.trace:2: 'heap' after the first operation (line 1); it must come before any 'a', 'f' or 'r'",
                "f x\nheap 64");
    }

    @ParameterizedTest
    @CsvSource({
        "10, not a multiple of 4", "2147483646, not a multiple of 4", "4, too small", "0, too small",
        "2147483648, too large", "4294967296, too large", "99999999999999999999, too large",
    })
    void heapSizesAnAllocatorCannotManageAreRefused(String size, String why) {
        assertRefused("t.trace:1: heap size " + size + " is not a multiple of 4 from 8 to 2147483644", "heap " + size,
                why);
    }

    @Test
    void theFirstBadLineIsReportedAndNothingIsReturned() {
        assertRefused("t.trace:2: size 'q' is not a number", "a x 1\na y q\nbogus\n");
    }

    // ---------------------------------------------------------------- heap size resolution and sources

    @Test
    void anOverrideWinsOverTheHeapLine() {
        Trace withHeap = parse("heap 64\na x 8");
        assertEquals(64, withHeap.resolveHeapSize(OptionalInt.empty()));
        assertEquals(128, withHeap.resolveHeapSize(OptionalInt.of(128)));
        Trace without = parse("a x 8");
        assertEquals(32, without.resolveHeapSize(OptionalInt.of(32)));
    }

    @Test
    void noHeapSizeAtAllIsRefusedNamingTheSource() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> parse("a x 8").resolveHeapSize(OptionalInt.empty()));
        assertEquals("t.trace: no heap size: the trace has no 'heap' line and none was given (use --heap BYTES)",
                e.getMessage());
        assertEquals(0, e.line());
        assertEquals("t.trace", e.source());
        assertEquals("no heap size: the trace has no 'heap' line and none was given (use --heap BYTES)", e.problem());
    }

    @Test
    void traceFormatExceptionsAreIllegalArguments() {
        TraceFormatException e = new TraceFormatException("-", 7, "bad");
        assertEquals("-:7: bad", e.getMessage());
        assertEquals(7, e.line());
        assertTrue(e instanceof IllegalArgumentException);
        assertEquals("-: whole", new TraceFormatException("-", 0, "whole").getMessage());
    }

    @Test
    void aFileIsReadAsUtf8AndNamedByItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.trace");
        Files.write(file, "heap 16\na \u00e9 4\n".getBytes(StandardCharsets.UTF_8));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Trace.parse(file));
        assertEquals(file + ":2: ID '\u00e9' has the character '\u00e9' (IDs are letters, digits, '_', '-' and '.')",
                e.getMessage());
        Files.writeString(file, "heap 16\na x 4\n");
        Trace trace = Trace.parse(file);
        assertEquals(file.toString(), trace.source());
        assertEquals(List.of("a x 4"), lines(trace));
    }

    @Test
    void aReaderIsReadToItsEndAndLeftOpen() throws IOException {
        BufferedReader reader = new BufferedReader(new StringReader("a x 4\nf x\n"));
        Trace trace = Trace.parse("-", reader);
        assertEquals("-", trace.source());
        assertEquals(2, trace.operations().size());
        assertEquals(null, reader.readLine(), "read to its end");
        assertDoesNotThrow(reader::ready, "a closed reader would throw");
        assertEquals("-:1: unknown command 'x' (expected heap, a, f or r)", assertThrows(TraceFormatException.class,
                () -> Trace.parse("-", new StringReader("x"))).getMessage());
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsIgnored() {
        Trace trace = Trace.parse("bom.trace", "\uFEFFheap 64\na x 8\n");
        assertEquals(64, trace.heapSize().getAsInt());
        assertEquals(1, trace.operations().size());
    }
}
