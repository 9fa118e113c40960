package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.Fit;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SizeCommandTest {

    private static final Pattern HEAP_SIZE = Pattern.compile("(?m)^  heap size    (\\d+) bytes$");
    private static final Pattern LOWER_BOUND = Pattern.compile("(?m)^  lower bound  (\\d+) bytes = ");

    @TempDir
    Path dir;

    private static int group(Pattern pattern, Cli.Result result) {
        Matcher matcher = pattern.matcher(result.out);
        if (!matcher.find()) {
            fail("no match for " + pattern + " in\n" + result);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static boolean replayHasNull(Path trace, String fit, int heap) {
        Cli.Result replay = Cli.run("replay", "--fit", fit, "--heap", Integer.toString(heap), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        return replay.out.contains(" null\n");
    }

    @ParameterizedTest
    @FieldSource("io.github.emballoc.cli.Cli#TRACES")
    void sizeIsOneOnWhichNoAllocationFailsAndTheSizeBelowFails(String name) {
        Path trace = Cli.traceFile(dir, name);
        for (String fit : new String[] {"best", "first"}) {
            Cli.Result result = Cli.run("size", "--fit", fit, trace.toString());
            assertEquals(0, result.status, result::toString);
            assertEquals("", result.err, result::toString);
            int size = group(HEAP_SIZE, result);
            int bound = group(LOWER_BOUND, result);
            assertTrue(bound <= size && size % 4 == 0 && bound % 4 == 0, result::toString);
            assertTrue(result.out.contains(", and on none smaller\n"), result::toString);
            assertTrue(result.out.contains("is the smallest."), result::toString);
            assertFalse(replayHasNull(trace, fit, size), () -> "null at the size found\n" + result);
            if (size - 4 >= Trace.MIN_HEAP) {
                assertTrue(replayHasNull(trace, fit, size - 4), () -> "no null 4 bytes below\n" + result);
            }
            if (size - 4 >= bound && bound - 4 >= Trace.MIN_HEAP) {
                assertTrue(replayHasNull(trace, fit, bound - 4), () -> "no null below the bound\n" + result);
            }
        }
    }

    @Test
    void walkthroughSizeIsFoundAndEverySmallerHeapFails() {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Cli.Result result = Cli.run("size", trace.toString());
        assertEquals(0, result.status, result::toString);
        int size = group(HEAP_SIZE, result);
        // Peak: x 8, y 4, z 16, w 5 live at once: 8 + 4 + 16 + 8 payload rounded, 4 headers = 52.
        assertTrue(result.out.contains("  peak live    33 bytes of payload in 4 blocks, after line 6\n"),
                result::toString);
        assertTrue(result.out.contains("  lower bound  52 bytes = 33 payload + 16 headers (4 per block) + 3 alignment"
                + " and rounding padding\n"), result::toString);
        assertEquals(52, size, result::toString);
        for (int heap = Trace.MIN_HEAP; heap < size; heap += 4) {
            assertTrue(replayHasNull(trace, "best", heap), "no null at " + heap);
        }
    }

    @Test
    void everySizeBelowTheAnswerFailsForTheSmallSample() {
        Path trace = Cli.traceFile(dir, "sample-77001-h64");
        for (Fit fit : Fit.values()) {
            String fitName = Converters.name(fit);
            Cli.Result result = Cli.run("size", "--fit", fitName, trace.toString());
            int size = group(HEAP_SIZE, result);
            for (int heap = Trace.MIN_HEAP; heap < size; heap += 4) {
                assertTrue(replayHasNull(trace, fitName, heap), "no null at " + heap + "\n" + result);
            }
        }
    }

    @Test
    void aSmallBudgetJumpsAheadAndSaysWhatWasNotTried() {
        Path trace = Cli.traceFile(dir, "sample-77003-h1024");
        Cli.Result full = Cli.run("size", trace.toString());
        int exact = group(HEAP_SIZE, full);
        int bound = group(LOWER_BOUND, full);
        if (exact - bound < 12) {
            fail("the sample no longer needs a scan: " + full);
        }
        Cli.Result result = Cli.run("size", "--max-replays", "1", trace.toString());
        assertEquals(0, result.status, result::toString);
        int size = group(HEAP_SIZE, result);
        assertFalse(result.out.contains("and on none smaller"), result::toString);
        assertTrue(result.out.contains("Every multiple of 4 from " + bound + " to " + bound + " was replayed and fails"
                + " (1 size, the --max-replays budget); then the search jumped ahead and tried "), result::toString);
        assertTrue(result.out.contains(" not listed were not tried: a smaller heap among them may work."),
                result::toString);
        assertTrue(size >= exact, result::toString);
        assertFalse(replayHasNull(trace, "best", size), result::toString);
        assertTrue(replayHasNull(trace, "best", size - 4), result::toString);
    }

    @Test
    void theAnswerAndItsExplanationDoNotDependOnTheThreads() {
        Path trace = Cli.traceFile(dir, "sample-77003-h1024");
        Cli.Result one = Cli.run("size", "--threads", "1", trace.toString());
        assertEquals(0, one.status, one::toString);
        for (String threads : new String[] {"2", "5"}) {
            Cli.Result more = Cli.run("size", "--threads", threads, trace.toString());
            assertEquals(one.out, more.out, more::toString);
        }
        Cli.Result none = Cli.run("size", "--threads", "0", trace.toString());
        assertEquals(2, none.status, none::toString);
        assertEquals("emballoc: --threads 0: give 1 or more\n", none.err);
    }

    @Test
    void reallocationsCountAtTheirNewSize() {
        // x grows from 8 to 40 bytes while y (16) is live: the peak is 44 + 20 = 64 bytes of entries.
        Path trace = Cli.write(dir.resolve("grow.trace"), "a x 8\na y 16\nr x 40\nf y\nr x 4\nf x\n");
        Cli.Result result = Cli.run("size", trace.toString());
        assertEquals(0, result.status, result::toString);
        assertTrue(result.out.contains("  lower bound  64 bytes = 56 payload + 8 headers (4 per block) + 0 alignment"
                + " and rounding padding\n"), result::toString);
        int size = group(HEAP_SIZE, result);
        assertFalse(replayHasNull(trace, "best", size), result::toString);
        assertTrue(replayHasNull(trace, "best", size - 4), result::toString);
    }

    @Test
    void defaultBudgetShrinksForLongTraces() {
        assertEquals(4096, SizeCommand.defaultBudget(100));
        assertEquals(4096, SizeCommand.defaultBudget(4882));
        assertEquals(20, SizeCommand.defaultBudget(1_000_000));
        assertEquals(16, SizeCommand.defaultBudget(10_000_000));
    }

    @Test
    void traceWithoutAllocationsNeedsTheSmallestHeap() {
        Path trace = Cli.write(dir.resolve("empty.trace"), "# nothing\nf x\n");
        Cli.Result result = Cli.run("size", trace.toString());
        assertEquals(0, result.status, result::toString);
        assertEquals(8, group(HEAP_SIZE, result), result::toString);
        assertTrue(result.out.contains("The lower bound itself works (1 replay), so it is the smallest."),
                result::toString);
    }

    @Test
    void allocationNoHeapCanServeIsReported() {
        Path trace = Cli.write(dir.resolve("huge.trace"), "a small 8\na huge 2147483641\n");
        Cli.Result result = Cli.run("size", trace.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: " + trace + ":2: no heap can serve 'a huge 2147483641': its entry needs 2147483648"
                + " bytes with its header, more than the largest heap (2147483644 bytes)\n", result.err,
                result::toString);
    }

    /**
     * Random small traces with everything that makes the bound hard (frees with deltas, double frees, frees of
     * IDs whose offset a newer block holds, rebinding, alignments, reallocations of live, freed and unknown
     * IDs): the bound must never exceed the smallest working size, and the exhaustive search (one size at a
     * time or three at once) must find exactly the smallest, as a scan of every size shows; with both fits and
     * both coalescing modes.
     */
    @Test
    void lowerBoundIsSoundAndSearchFindsTheSmallestOnRandomTraces() {
        long seed = 0x5EEDL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 800; round++) {
            long traceSeed = random.nextLong();
            String text = randomTrace(new SplittableRandom(traceSeed));
            Trace trace = Trace.parse("random-" + traceSeed, text);
            for (Fit fit : Fit.values()) {
                Coalescing coalescing = round % 2 == 0 ? Coalescing.FORWARD : Coalescing.BOTH;
                // Half the rounds with the indexed strategy, once this build has it.
                Strategy strategy = round % 4 < 2 ? Strategy.INDEXED
                        : Strategy.LINEAR;
                Allocators allocators = Allocators.of(fit, strategy, coalescing);
                SizeSearch.LowerBound bound = SizeSearch.lowerBound(trace);
                int smallest = -1;
                for (int heap = Trace.MIN_HEAP; heap <= 4096; heap += 4) {
                    if (SizeSearch.fits(trace, allocators, heap)) {
                        smallest = heap;
                        break;
                    }
                }
                String context = "trace seed " + traceSeed + " (round " + round + " of seed " + seed + "), " + fit
                        + " fit, " + strategy.word() + ", " + coalescing + ", bound " + bound.bytes + ", smallest "
                        + smallest + ":\n" + text;
                assertTrue(smallest > 0, context);
                assertTrue(bound.bytes <= smallest, "unsound lower bound: " + context);
                SizeSearch.Outcome outcome = SizeSearch.search(trace, allocators, bound.bytes, Integer.MAX_VALUE,
                        round % 3 == 0 ? 3 : 1);
                assertTrue(outcome.exhaustive, context);
                assertEquals(smallest, outcome.size, context);
            }
        }
    }

    private static String randomTrace(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int ids = 1 + random.nextInt(6);
        int operations = 1 + random.nextInt(30);
        int[] alignments = {1, 2, 4, 8, 16, 32};
        for (int i = 0; i < operations; i++) {
            String id = "i" + random.nextInt(ids);
            int choice = random.nextInt(100);
            if (choice < 45) {
                text.append("a ").append(id).append(' ').append(random.nextInt(60)).append(' ')
                        .append(alignments[random.nextInt(alignments.length)]).append('\n');
            } else if (choice < 62) {
                text.append("r ").append(id).append(' ').append(random.nextInt(80));
                if (random.nextBoolean()) {
                    text.append(' ').append(alignments[random.nextInt(alignments.length)]);
                }
                text.append('\n');
            } else {
                text.append("f ").append(id);
                if (random.nextInt(4) == 0) {
                    text.append(' ').append(random.nextInt(40));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }
}
