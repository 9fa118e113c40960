package io.github.emballoc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    /** Two results in JMH's JSON layout: a churn with a failure and gc figures, and a contended pair. */
    private static final String RESULTS = "["
            + "{\"jmhVersion\":\"1.37\",\"benchmark\":\"io.github.emballoc.benchmarks.ChurnBenchmark.churn\","
            + "\"mode\":\"avgt\",\"jdkVersion\":\"17.0.15\",\"vmName\":\"OpenJDK 64-Bit Server VM\","
            + "\"vmVersion\":\"17.0.15+6\",\"params\":{\"allocator\":\"firstfit-best\",\"heap\":\"array\","
            + "\"live\":\"2000\",\"sizes\":\"uniform\"},"
            + "\"primaryMetric\":{\"score\":13496.4,\"scoreError\":512.3,\"scoreUnit\":\"ns/op\","
            + "\"rawData\":[[13000.0,13500.0,14000.0]]},"
            + "\"secondaryMetrics\":{\"failedAllocations\":{\"score\":1.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"#\","
            + "\"rawData\":[[0.0,2.0,1.0]]},\"gc.alloc.rate.norm\":{\"score\":0.012,\"scoreError\":\"NaN\","
            + "\"scoreUnit\":\"B/op\",\"rawData\":[[0.01,0.01,0.01]]}}},"
            + "{\"jmhVersion\":\"1.37\",\"benchmark\":\"io.github.emballoc.benchmarks.ChurnBenchmark.churn\","
            + "\"mode\":\"avgt\",\"jdkVersion\":\"17.0.15\",\"vmName\":\"OpenJDK 64-Bit Server VM\","
            + "\"vmVersion\":\"17.0.15+6\",\"params\":{\"allocator\":\"onenio\",\"heap\":\"array\","
            + "\"live\":\"2000\",\"sizes\":\"uniform\"},"
            + "\"primaryMetric\":{\"score\":35.25,\"scoreError\":\"NaN\",\"scoreUnit\":\"ns/op\","
            + "\"rawData\":[[35.25]]},\"secondaryMetrics\":{}},"
            + "{\"jmhVersion\":\"1.37\","
            + "\"benchmark\":\"io.github.emballoc.benchmarks.ContendedAllocatorBenchmark.pair\","
            + "\"mode\":\"thrpt\",\"jdkVersion\":\"17.0.15\",\"vmName\":\"OpenJDK 64-Bit Server VM\","
            + "\"vmVersion\":\"17.0.15+6\",\"params\":{\"allocator\":\"firstfit-best\",\"heap\":\"array\","
            + "\"live\":\"2000\",\"sizes\":\"uniform\"},"
            + "\"primaryMetric\":{\"score\":2000.0,\"scoreError\":500.0,\"scoreUnit\":\"ops/ms\","
            + "\"rawData\":[[2000.0,2000.0]]},"
            + "\"secondaryMetrics\":{\"first\":{\"score\":1500.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/ms\","
            + "\"rawData\":[[1000.0,2000.0]]},\"second\":{\"score\":500.0,\"scoreError\":\"NaN\","
            + "\"scoreUnit\":\"ops/ms\",\"rawData\":[[1000.0,0.0]]}}}"
            + "]";

    private static String render() {
        return Tables.render(Tables.read(RESULTS), "test", List.of(), List.of());
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + text));
    }

    @Test
    void churnCellsShowMeanErrorFailuresAndTheRatioToTheFastestPeer() {
        String churn = render().split("### Bytes")[0];
        assertEquals("| 2,000 | " + Tables.MISSING + " | " + Tables.MISSING + " | 13,496 ± 512 (3 failed) | "
                + Tables.MISSING + " | 35.3 | " + Tables.MISSING + " | "
                + Tables.MISSING + " | 382.88× |", line(churn, "| 2,000 |"));
        assertEquals("| 200 |" + (" " + Tables.MISSING + " |").repeat(8), line(churn, "| 200 |"));
    }

    @Test
    void bytesPerOperationComeFromTheGcProfiler() {
        String bytes = render().split("### Bytes")[1].split("### Heap kinds")[0];
        assertEquals("| 2,000 | " + Tables.MISSING + " | " + Tables.MISSING + " | 0.01 | " + Tables.MISSING + " | "
                + Tables.MISSING + " | " + Tables.MISSING + " | " + Tables.MISSING + " |", line(bytes, "| 2,000 |"));
    }

    @Test
    void contendedRowsShowEachThreadAndTheSmallerShare() {
        String contended = render().split("### Contended")[1];
        assertEquals("| FirstFit best | `CasSpinLock` | 2,000.0 ± 500.0 | 1,500.0 | 500.0 | 0.0% | 0 |",
                line(contended, "| FirstFit best |"));
        assertTrue(line(contended, "| Netty pooled |").endsWith(Tables.MISSING + " |"));
    }

    @Test
    void theHeaderNamesTheJdkOfTheResults() {
        assertEquals("| JDK of the timed results | 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6) |",
                line(render(), "| JDK of the timed results |"));
    }

    @Test
    void theReadmeSectionIsReplacedAndTheRestKept() {
        String readme = "intro\n" + Tables.BEGIN + "\nold\n" + Tables.END + "\nafter\n";
        assertEquals("intro\n" + Tables.BEGIN + "\nnew\n" + Tables.END + "\nafter\n",
                Tables.intoReadme(readme, "new\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tables.intoReadme("no markers", "new"));
        assertTrue(e.getMessage().startsWith("the README has no '<!-- BEGIN"), e.getMessage());
    }
}
