package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --strategy linear|indexed} and {@code --coalescing forward|both} of {@code replay}, {@code size} and
 * {@code demo}: each combination gives the library's own results, and a word that is not a strategy or a
 * coalescing is refused as a usage error naming what is accepted.
 */
class StrategyOptionsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyStrategyWithForwardCoalescingIsEmballoc(Strategy strategy) {
        for (String name : Cli.TRACES) {
            Path trace = Cli.traceFile(dir, name);
            for (String fit : new String[] {"best", "first"}) {
                Cli.Result result = Cli.run("replay", "--strategy", strategy.word(), "--coalescing", "forward", "--fit",
                        fit, trace.toString());
                assertEquals(0, result.status, result::toString);
                assertEquals(Cli.resource(name + "." + fit), result.out, result::toString);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyStrategyWithCoalescingBothReplaysAsTheLinearLibraryDoes(Strategy strategy) throws IOException {
        boolean differs = false;
        for (String name : Cli.TRACES) {
            Path trace = Cli.traceFile(dir, name);
            Trace parsed = Trace.parse(trace);
            for (Fit fit : Fit.values()) {
                String expected = TraceReplayer.replay(parsed, FirstFitAllocator.builder(
                        RawHeaps.allocate(parsed.heapSize().getAsInt())).fit(fit).coalescing(Coalescing.BOTH).build())
                        .output();
                Cli.Result result = Cli.run("replay", "--strategy", strategy.name(), "--coalescing", "both", "--fit",
                        Converters.name(fit), trace.toString());
                assertEquals(0, result.status, result::toString);
                assertEquals(expected, result.out, result::toString);
                differs |= !expected.equals(Cli.resource(name + "." + Converters.name(fit)));
            }
        }
        assertTrue(differs, "coalescing both changes some bundled trace's replay, so the option reaches the allocator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "size", "demo"})
    void badValuesAreUsageErrorsThatSayWhatIsAccepted(String command) {
        Cli.Result strategy = Cli.run(command, "--strategy", "quick", "x.trace");
        assertEquals(2, strategy.status, strategy::toString);
        assertTrue(strategy.err.startsWith("emballoc: Invalid value for option '--strategy': 'quick' is not a strategy:"
                + " use linear or indexed\n"), strategy::toString);
        Cli.Result coalescing = Cli.run(command, "--coalescing", "backward", "x.trace");
        assertEquals(2, coalescing.status, coalescing::toString);
        assertTrue(coalescing.err.startsWith("emballoc: Invalid value for option '--coalescing': 'backward' is not a"
                + " coalescing: use forward or both\n"), coalescing::toString);
    }

    @Test
    void helpShowsEachCommandsDefaults() {
        for (String command : new String[] {"replay", "size", "demo"}) {
            String help = Cli.run(command, "--help").out.replaceAll("\\s+", " ");
            String strategy = command.equals("demo") ? "linear" : Allocators.preferred().word();
            assertTrue(help.contains("write the same bytes. Default: " + strategy + "."), command + ": " + help);
            assertTrue(help.contains("(also the entry before). Default: forward."), command + ": " + help);
        }
    }

    @Test
    void sizeFindsTheSameAnswerAsAReplayWouldWithEachCoalescing() {
        Path trace = Cli.traceFile(dir, "sample-77003-h1024");
        for (String coalescing : new String[] {"forward", "both"}) {
            Cli.Result size = Cli.run("size", "--strategy", "linear", "--coalescing", coalescing, trace.toString());
            assertEquals(0, size.status, size::toString);
            assertTrue(size.out.contains("(best fit, linear, " + coalescing + " coalescing): no allocation fails"),
                    size::toString);
            int heap = Integer.parseInt(size.out.replaceAll("(?s).*\n  heap size    (\\d+) bytes\n.*", "$1"));
            Cli.Result at = Cli.run("replay", "--coalescing", coalescing, "--heap", Integer.toString(heap),
                    trace.toString());
            assertTrue(!at.out.contains(" null\n"), at::toString);
            Cli.Result below = Cli.run("replay", "--coalescing", coalescing, "--heap", Integer.toString(heap - 4),
                    trace.toString());
            assertTrue(below.out.contains(" null\n"), below::toString);
        }
    }

    @Test
    void demoSaysWhichStrategyAndCoalescingItUses() {
        Cli.Result linear = Cli.run("demo", "--seed", "3");
        assertEquals(0, linear.status, linear::toString);
        assertTrue(linear.out.startsWith("emballoc demo: the entry allocator (4-byte in-band headers, split on"
                + " allocate, merge forward on free), best fit (emballoc's own), linear (a walk over the entries),"
                + " forward coalescing (emballoc's own).\n"), linear::toString);
        Cli.Result both = Cli.run("demo", "--seed", "3", "--coalescing", "both", "--strategy", "linear");
        assertEquals(0, both.status, both::toString);
        assertTrue(both.out.startsWith("emballoc demo: the entry allocator (4-byte in-band headers, split on"
                + " allocate, merge with both free neighbours on free), best fit (emballoc's own), linear (a walk over"
                + " the entries), both coalescing.\n"), both::toString);
        assertNotEquals(linear.out.substring(linear.out.indexOf("2. A random")),
                both.out.substring(both.out.indexOf("2. A random")), "merging backward changes the workload's heap");
    }
}
