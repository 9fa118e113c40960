package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void walkthroughStepsGiveEmballocsResults() {
        Cli.Result demo = Cli.run("demo");
        assertEquals(0, demo.status, demo::toString);
        assertEquals("", demo.err, demo::toString);
        assertTrue(demo.out.contains("1. emballoc's documented walkthrough on a 32-byte heap"), demo::toString);
        // Every result line of the walkthrough's reference output appears in its step's row.
        for (String line : Cli.resource("emballoc-walkthrough.best").split("\n")) {
            String[] fields = line.split(" ");
            if (fields[0].equals("a")) {
                assertTrue(Pattern.compile("(?m)^   a " + fields[1] + " \\d+ +" + fields[1] + " = " + fields[2] + " ")
                        .matcher(demo.out).find(), () -> "no step for " + line + " in\n" + demo);
            } else if (fields[0].equals("f")) {
                assertTrue(Pattern.compile("(?m)^   f " + fields[1] + " +" + fields[2] + " ").matcher(demo.out).find(),
                        () -> "no step for " + line + " in\n" + demo);
            }
        }
        assertTrue(demo.out.contains("   (start)              [#.......]  0 free 28 "), demo::toString);
        assertTrue(demo.out.contains("   a z 16     z = null  [#UU#U#..]  0 used 8, 12 used 4, 20 free 8  no free entry"
                + " of 16 (largest: 8), nothing changes\n"), demo::toString);
        assertTrue(demo.out.contains("   f y        ok        [#UU#....]  0 used 8, 12 free 16            freed, merged"
                + " with the free entry after it\n"), demo::toString);
    }

    @Test
    void workloadIsDeterministicForASeedAndShowsStatistics() {
        Cli.Result first = Cli.run("demo", "--seed", "42");
        Cli.Result again = Cli.run("demo", "--seed", "42");
        Cli.Result other = Cli.run("demo", "--seed", "43");
        assertEquals(0, first.status, first::toString);
        assertEquals(first.out, again.out);
        assertNotEquals(first.out, other.out);
        assertEquals(first.out, Cli.run("demo", "--seed", "42", "--heap", "4096", "--fit", "best").out);
        assertTrue(first.out.contains("2. A random workload on a 4096-byte heap: 512 operations, seed 42"),
                first::toString);
        Matcher finalMap = Pattern.compile("(?m)^   final       \\[([#U.x]{64})\\]$").matcher(first.out);
        assertTrue(finalMap.find(), first::toString);
        for (String label : new String[] {"entries", "used", "free", "largest free", "fragmentation",
            "header overhead"}) {
            assertTrue(Pattern.compile("(?m)^     " + label + " +\\d").matcher(first.out).find(),
                    () -> "no " + label + " in\n" + first);
        }
        // The statistics add up: headers, payloads and the unusable tail are the heap.
        int entries = number(first.out, "entries");
        int used = number(first.out, "used");
        int free = number(first.out, "free");
        int headers = number(first.out, "header overhead");
        int unusable = number(first.out, "unusable");
        assertEquals(4 * entries, headers, first::toString);
        assertEquals(4096, headers + used + free + unusable, first::toString);
    }

    @Test
    void otherHeapsAndFirstFit() {
        Cli.Result small = Cli.run("demo", "--heap", "64", "--fit", "first", "--seed", "5");
        assertEquals(0, small.status, small::toString);
        assertTrue(small.out.contains("first fit"), small::toString);
        assertTrue(small.out.contains("2. A random workload on a 64-byte heap: 64 operations, seed 5"), small::toString);
        Cli.Result large = Cli.run("demo", "--heap", "1048576");
        assertEquals(0, large.status, large::toString);
        assertTrue(large.out.contains("Maps: one character per 16384 bytes, showing what fills most of them."),
                large::toString);
    }

    private static int number(String out, String label) {
        Matcher matcher = Pattern.compile("(?m)^     " + label + " +(\\d+)").matcher(out);
        assertTrue(matcher.find(), label);
        return Integer.parseInt(matcher.group(1));
    }
}
