package io.github.emballoc.benchmarks.report;

import io.github.emballoc.benchmarks.ChurnBenchmark;
import io.github.emballoc.benchmarks.ContendedAllocatorBenchmark;
import io.github.emballoc.benchmarks.HeapKindChurnBenchmark;
import io.github.emballoc.benchmarks.MegamorphicChurnBenchmark;
import io.github.emballoc.benchmarks.ReplayBenchmark;
import io.github.emballoc.benchmarks.subject.Subjects;
import io.github.emballoc.benchmarks.workload.TraceGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.annotations.Param;

/**
 * Turns JMH's JSON results ({@code -rf json}) into the markdown tables of {@code benchmarks/README.md}, and adds
 * the footprint and heap-efficiency tables, which it computes itself ({@link Footprint}, {@link HeapEfficiency}).
 *
 * <p>The rows and columns of every timed table come from the benchmarks' {@link Param} values (plus any other
 * allocator the results hold), so a table keeps its shape when results are missing: such a cell reads
 * {@value #MISSING}. A cell is the mean with JMH's 99.9% error; an allocator that failed allocations in a measured
 * iteration gets the count beside its time.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.emballoc.benchmarks.report.Tables [--readme README.md] [results.json ...]
 * </pre>
 * prints the tables, or with {@code --readme} writes them into that file between the lines {@value #BEGIN} and
 * {@value #END}.
 *
 * <p>Stateless; any thread.
 */
public final class Tables {

    /** The text of a cell that no result fills. */
    public static final String MISSING = "to be measured";

    /** The line before the generated part of the README. */
    public static final String BEGIN = "<!-- BEGIN GENERATED TABLES (benchmarks/run-tables.sh) -->";

    /** The line after the generated part of the README. */
    public static final String END = "<!-- END GENERATED TABLES -->";

    private static final String RUN = "`benchmarks/run-tables.sh`";

    private static final Map<String, String> LABELS = Map.of(
            "indexed-best", "Indexed best",
            "indexed-first", "Indexed first",
            "firstfit-best", "FirstFit best",
            "firstfit-first", "FirstFit first",
            "onenio", "one-nio Malloc",
            "onenio-mt", "one-nio MallocMT",
            "offheapstore", "offheap-store",
            "netty", "Netty pooled");

    private Tables() {
    }

    /**
     * One benchmark result of a JMH JSON file.
     *
     * @param benchmark the class's simple name and the method, for example {@code ChurnBenchmark.churn}
     * @param params the parameters
     * @param primary the primary metric
     * @param secondary the secondary metrics by name
     * @param jdk the JDK and VM that ran it
     */
    public record Result(String benchmark, Map<String, String> params, Metric primary, Map<String, Metric> secondary,
            String jdk) {
    }

    /**
     * One metric of a result.
     *
     * @param score the mean
     * @param error JMH's error (half the 99.9% confidence interval), NaN when it has too few iterations
     * @param unit the unit
     * @param raw the value of every measured iteration (all forks together)
     */
    public record Metric(double score, double error, String unit, List<Double> raw) {

        /**
         * Returns the sum over all measured iterations.
         *
         * @return the sum of {@link #raw()}
         */
        public double total() {
            return raw.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param text the file's content
     * @return its results
     * @throws IllegalArgumentException if the text is not a JMH result list
     */
    public static List<Result> read(String text) {
        Object root = Json.parse(text);
        if (!(root instanceof List)) {
            throw new IllegalArgumentException("a JMH JSON result file is a list of results");
        }
        List<Result> results = new ArrayList<>();
        for (Object item : (List<?>) root) {
            Map<?, ?> entry = (Map<?, ?>) item;
            String benchmark = (String) entry.get("benchmark");
            String[] parts = benchmark.split("\\.");
            String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
            Map<String, String> params = new LinkedHashMap<>();
            Object rawParams = entry.get("params");
            if (rawParams instanceof Map) {
                ((Map<?, ?>) rawParams).forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<String, Metric> secondary = new LinkedHashMap<>();
            Object rawSecondary = entry.get("secondaryMetrics");
            if (rawSecondary instanceof Map) {
                ((Map<?, ?>) rawSecondary).forEach((k, v) -> secondary.put((String) k, metric((Map<?, ?>) v)));
            }
            String jdk = entry.get("jdkVersion") + " (" + entry.get("vmName") + " " + entry.get("vmVersion") + ")";
            results.add(new Result(name, params, metric((Map<?, ?>) entry.get("primaryMetric")), secondary, jdk));
        }
        return results;
    }

    private static Metric metric(Map<?, ?> json) {
        List<Double> raw = new ArrayList<>();
        Object data = json.get("rawData");
        if (data instanceof List) {
            for (Object fork : (List<?>) data) {
                for (Object value : (List<?>) fork) {
                    raw.add(number(value));
                }
            }
        }
        return new Metric(number(json.get("score")), number(json.get("scoreError")), (String) json.get("scoreUnit"),
                raw);
    }

    private static double number(Object value) {
        if (value instanceof Double) {
            return (Double) value;
        }
        if (value instanceof String) {
            try {
                return Double.parseDouble((String) value); // JMH writes "NaN" as a string
            } catch (NumberFormatException notNumber) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * Returns the name an allocator has in the tables.
     *
     * @param allocator the allocator's parameter name
     * @return its label
     */
    public static String label(String allocator) {
        return LABELS.getOrDefault(allocator, allocator);
    }

    /**
     * Writes every table.
     *
     * @param results the JMH results (may be empty: the timed cells then read {@value #MISSING})
     * @param sources where the results came from, for the header
     * @param footprint the footprint fills
     * @param efficiency the heap-efficiency results
     * @return the markdown
     */
    public static String render(List<Result> results, String sources, List<Footprint.Fill> footprint,
            List<HeapEfficiency.Result> efficiency) {
        StringBuilder out = new StringBuilder();
        header(out, results, sources);
        churn(out, results);
        bytesPerOperation(out, results);
        heapKinds(out, results);
        megamorphic(out, results);
        replay(out, results);
        contended(out, results);
        out.append("\n### Footprint\n\nComputed by `java -cp benchmarks/target/benchmarks.jar ")
                .append("io.github.emballoc.benchmarks.report.Footprint` (part of ").append(RUN).append(").\n\n")
                .append(Footprint.markdown(footprint));
        out.append("\n### Heap efficiency\n\nComputed by `java -cp benchmarks/target/benchmarks.jar ")
                .append("io.github.emballoc.benchmarks.report.HeapEfficiency` (part of ").append(RUN)
                .append(").\n\n").append(HeapEfficiency.markdown(efficiency));
        return out.toString();
    }

    private static void header(StringBuilder out, List<Result> results, String sources) {
        Set<String> jdks = new LinkedHashSet<>();
        results.forEach(r -> jdks.add(r.jdk()));
        out.append("| | |\n|---|---|\n");
        out.append("| machine | ").append(Machine.describe()).append(" |\n");
        out.append("| JDK of the timed results | ")
                .append(jdks.isEmpty() ? "no timed results yet" : String.join("; ", jdks)).append(" |\n");
        out.append("| JDK of footprint and efficiency | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        out.append("| results | ").append(sources).append(" |\n");
        out.append("| tables written | ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .format(Instant.now().atZone(ZoneOffset.UTC))).append(" |\n");
    }

    private static void churn(StringBuilder out, List<Result> results) {
        out.append("\n### Churn: ns per allocate + free pair\n\n");
        out.append("Filled by ").append(RUN).append(" (alone: `java -jar benchmarks/target/benchmarks.jar ")
                .append("'\\.ChurnBenchmark\\.' -prof gc`). Mean ± 99.9% error; \"(n failed)\" counts failed ")
                .append("allocations over the measured iterations. Heap of this project's allocators: ")
                .append(String.join(", ", params(ChurnBenchmark.class, "heap"))).append(".\n");
        List<String> allocators = allocators(results, "ChurnBenchmark.churn", ChurnBenchmark.class);
        for (String sizes : params(ChurnBenchmark.class, "sizes")) {
            out.append("\nSizes `").append(sizes).append("`:\n\n| live blocks |");
            allocators.forEach(a -> out.append(' ').append(label(a)).append(" |"));
            out.append(" best of ours / fastest peer |\n|---:|").append("---:|".repeat(allocators.size() + 1))
                    .append('\n');
            for (String live : params(ChurnBenchmark.class, "live")) {
                out.append("| ").append(thousands(live)).append(" |");
                double ours = Double.NaN;
                double peers = Double.NaN;
                for (String allocator : allocators) {
                    Result result = find(results, "ChurnBenchmark.churn", "allocator", allocator, "live", live,
                            "sizes", sizes);
                    out.append(' ').append(timeCell(result)).append(" |");
                    if (result != null) {
                        if (Subjects.PEERS.contains(allocator)) {
                            peers = min(peers, result.primary().score());
                        } else {
                            ours = min(ours, result.primary().score());
                        }
                    }
                }
                out.append(' ').append(Double.isNaN(ours) || Double.isNaN(peers) ? MISSING
                        : String.format(Locale.ROOT, "%,.2f×", ours / peers)).append(" |\n");
            }
        }
    }

    private static void bytesPerOperation(StringBuilder out, List<Result> results) {
        out.append("\n### Bytes allocated on the Java heap per operation\n\n");
        out.append("`gc.alloc.rate.norm` of the churn above (needs `-prof gc`, which ").append(RUN)
                .append(" passes), in bytes per allocate + free pair.\n");
        List<String> allocators = allocators(results, "ChurnBenchmark.churn", ChurnBenchmark.class);
        for (String sizes : params(ChurnBenchmark.class, "sizes")) {
            out.append("\nSizes `").append(sizes).append("`:\n\n| live blocks |");
            allocators.forEach(a -> out.append(' ').append(label(a)).append(" |"));
            out.append("\n|---:|").append("---:|".repeat(allocators.size())).append('\n');
            for (String live : params(ChurnBenchmark.class, "live")) {
                out.append("| ").append(thousands(live)).append(" |");
                for (String allocator : allocators) {
                    Result result = find(results, "ChurnBenchmark.churn", "allocator", allocator, "live", live,
                            "sizes", sizes);
                    Metric norm = result == null ? null : result.secondary().get("gc.alloc.rate.norm");
                    out.append(' ').append(norm == null ? MISSING : String.format(Locale.ROOT, "%.2f", norm.score()))
                            .append(" |");
                }
                out.append('\n');
            }
        }
    }

    private static void heapKinds(StringBuilder out, List<Result> results) {
        out.append("\n### Heap kinds: ns per allocate + free pair\n\n");
        out.append("Filled by ").append(RUN).append(" (alone: `java -jar benchmarks/target/benchmarks.jar ")
                .append("'\\.(Churn|HeapKindChurn)Benchmark\\.'`). The `array` column is the churn table's; sizes `")
                .append(String.join(", ", params(HeapKindChurnBenchmark.class, "sizes"))).append("`.\n\n");
        List<String> kinds = new ArrayList<>(params(ChurnBenchmark.class, "heap"));
        kinds.addAll(params(HeapKindChurnBenchmark.class, "heap"));
        out.append("| allocator | live blocks |");
        kinds.forEach(k -> out.append(" `").append(k).append("` |"));
        out.append("\n|---|---:|").append("---:|".repeat(kinds.size())).append('\n');
        String sizes = params(HeapKindChurnBenchmark.class, "sizes").get(0);
        for (String allocator : allocators(results, "HeapKindChurnBenchmark.churn", HeapKindChurnBenchmark.class)) {
            for (String live : params(HeapKindChurnBenchmark.class, "live")) {
                out.append("| ").append(label(allocator)).append(" | ").append(thousands(live)).append(" |");
                for (String kind : kinds) {
                    out.append(' ').append(timeCell(oneClass(results, allocator, kind, live, sizes))).append(" |");
                }
                out.append('\n');
            }
        }
    }

    /** The churn of one allocator in a JVM with one heap class in use: from the churn or the heap-kind table. */
    private static Result oneClass(List<Result> results, String allocator, String heap, String live, String sizes) {
        Result result = find(results, "ChurnBenchmark.churn", "allocator", allocator, "heap", heap, "live", live,
                "sizes", sizes);
        return result != null ? result : find(results, "HeapKindChurnBenchmark.churn", "allocator", allocator,
                "heap", heap, "live", live, "sizes", sizes);
    }

    private static void megamorphic(StringBuilder out, List<Result> results) {
        String live = params(MegamorphicChurnBenchmark.class, "live").get(0);
        String sizes = params(MegamorphicChurnBenchmark.class, "sizes").get(0);
        out.append("\n### Megamorphic call sites: ns per allocate + free pair\n\n");
        out.append("Filled by ").append(RUN).append(" (alone: `java -jar benchmarks/target/benchmarks.jar ")
                .append("'\\.MegamorphicChurnBenchmark\\.'`). ").append(thousands(live)).append(" live blocks, sizes `")
                .append(sizes).append("`. \"One heap class\" is the same churn from the tables above; the other two ")
                .append("columns ran after the allocator had churned over three heap classes.\n\n");
        out.append("| allocator | heap | one heap class | three classes, RawHeap calls (before) ")
                .append("| three classes, HeaderAccess (after) | before / after |\n|---|---|---:|---:|---:|---:|\n");
        for (String allocator : allocators(results, "MegamorphicChurnBenchmark.churn",
                MegamorphicChurnBenchmark.class)) {
            for (String heap : params(MegamorphicChurnBenchmark.class, "heap")) {
                Result before = find(results, "MegamorphicChurnBenchmark.churn", "allocator", allocator, "heap", heap,
                        "path", "rawheap-call");
                Result after = find(results, "MegamorphicChurnBenchmark.churn", "allocator", allocator, "heap", heap,
                        "path", "header-access");
                out.append("| ").append(label(allocator)).append(" | `").append(heap).append("` | ")
                        .append(timeCell(oneClass(results, allocator, heap, live, sizes))).append(" | ")
                        .append(timeCell(before)).append(" | ").append(timeCell(after)).append(" | ")
                        .append(before == null || after == null ? MISSING : String.format(Locale.ROOT, "%.2f×",
                                before.primary().score() / after.primary().score())).append(" |\n");
            }
        }
    }

    private static void replay(StringBuilder out, List<Result> results) {
        out.append("\n### Replay of a ").append(thousands(String.valueOf(TraceGenerator.OPERATIONS)))
                .append("-operation trace\n\n");
        out.append("Filled by ").append(RUN).append(" (alone: `java -jar benchmarks/target/benchmarks.jar ")
                .append("'\\.ReplayBenchmark\\.'`). The generated trace keeps about ")
                .append(thousands(String.valueOf(TraceGenerator.TARGET_LIVE))).append(" blocks live.\n\n");
        out.append("| allocator | heap | ns per trace operation | ms per replay |\n|---|---|---:|---:|\n");
        for (String allocator : allocators(results, "ReplayBenchmark.replay", ReplayBenchmark.class)) {
            for (String heap : params(ReplayBenchmark.class, "heap")) {
                Result result = find(results, "ReplayBenchmark.replay", "allocator", allocator, "heap", heap);
                out.append("| ").append(label(allocator)).append(" | `").append(heap).append("` | ")
                        .append(timeCell(result)).append(" | ")
                        .append(result == null ? MISSING : String.format(Locale.ROOT, "%,.1f",
                                result.primary().score() * TraceGenerator.OPERATIONS / 1e6)).append(" |\n");
            }
        }
    }

    private static void contended(StringBuilder out, List<Result> results) {
        String live = params(ContendedAllocatorBenchmark.class, "live").get(0);
        out.append("\n### Contended: two threads on one allocator\n\n");
        out.append("Filled by ").append(RUN).append(" (alone: `java -jar benchmarks/target/benchmarks.jar ")
                .append("'\\.ContendedAllocatorBenchmark\\.'`). ").append(thousands(live))
                .append(" live blocks in all, half per thread; operations (allocate + free pairs) per millisecond. ")
                .append("\"Smaller share\" is the lowest fraction of an iteration's operations that the slower ")
                .append("thread got: 50% is fair, 0% is starvation.\n\n");
        out.append("| allocator | guarded by | both threads | thread 1 | thread 2 | smaller share | failed |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String allocator : allocators(results, "ContendedAllocatorBenchmark.pair",
                ContendedAllocatorBenchmark.class)) {
            Result result = find(results, "ContendedAllocatorBenchmark.pair", "allocator", allocator, "live", live);
            out.append("| ").append(label(allocator)).append(" | ").append(guard(allocator)).append(" | ");
            if (result == null) {
                out.append((MISSING + " | ").repeat(4)).append(MISSING).append(" |\n");
                continue;
            }
            Metric first = result.secondary().get("first");
            Metric second = result.secondary().get("second");
            Metric failed = result.secondary().get("failedAllocations");
            out.append(rate(result.primary())).append(" | ").append(rate(first)).append(" | ").append(rate(second))
                    .append(" | ").append(smallerShare(first, second)).append(" | ")
                    .append(failed == null ? "0" : String.format(Locale.ROOT, "%,.0f", failed.total())).append(" |\n");
        }
    }

    private static String guard(String allocator) {
        switch (allocator) {
            case "onenio":
            case "onenio-mt":
                return "its own `synchronized`";
            case "netty":
                return "its own locks";
            case "offheapstore":
                return "`synchronized` wrapper";
            default:
                return "`CasSpinLock`";
        }
    }

    private static String rate(Metric metric) {
        if (metric == null) {
            return MISSING;
        }
        return Double.isNaN(metric.error()) ? String.format(Locale.ROOT, "%,.1f", metric.score())
                : String.format(Locale.ROOT, "%,.1f ± %,.1f", metric.score(), metric.error());
    }

    private static String smallerShare(Metric first, Metric second) {
        if (first == null || second == null || first.raw().size() != second.raw().size() || first.raw().isEmpty()) {
            return MISSING;
        }
        double lowest = 1;
        for (int i = 0; i < first.raw().size(); i++) {
            double a = first.raw().get(i);
            double b = second.raw().get(i);
            lowest = Math.min(lowest, a + b == 0 ? 0 : Math.min(a, b) / (a + b));
        }
        return String.format(Locale.ROOT, "%.1f%%", lowest * 100);
    }

    private static String timeCell(Result result) {
        if (result == null) {
            return MISSING;
        }
        Metric metric = result.primary();
        String cell = Double.isNaN(metric.error()) ? time(metric.score())
                : time(metric.score()) + " ± " + time(metric.error());
        Metric failed = result.secondary().get("failedAllocations");
        if (failed != null && failed.total() > 0) {
            cell += String.format(Locale.ROOT, " (%,.0f failed)", failed.total());
        }
        return cell;
    }

    private static String time(double nanos) {
        return nanos >= 100 ? String.format(Locale.ROOT, "%,.0f", nanos) : String.format(Locale.ROOT, "%.1f", nanos);
    }

    private static String thousands(String number) {
        return String.format(Locale.ROOT, "%,d", Long.parseLong(number));
    }

    private static double min(double current, double value) {
        return Double.isNaN(current) ? value : Math.min(current, value);
    }

    /** The allocators of a benchmark's table: its parameter values, then any other the results hold. */
    private static List<String> allocators(List<Result> results, String benchmark, Class<?> type) {
        Set<String> names = new LinkedHashSet<>(params(type, "allocator"));
        for (Result result : results) {
            if (result.benchmark().equals(benchmark)) {
                names.add(result.params().get("allocator"));
            }
        }
        return new ArrayList<>(names);
    }

    /** The values of a benchmark's {@link Param} field. */
    static List<String> params(Class<?> type, String field) {
        try {
            return List.of(type.getField(field).getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no parameter " + field, e);
        }
    }

    /** The result of a benchmark whose parameters include the given name/value pairs, or null. */
    private static Result find(List<Result> results, String benchmark, String... pairs) {
        for (Result result : results) {
            if (!result.benchmark().equals(benchmark)) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(result.params().get(pairs[i]))) {
                    matches = false;
                    break;
                }
            }
            if (matches) {
                return result;
            }
        }
        return null;
    }

    /**
     * Replaces the part of a README between {@link #BEGIN} and {@link #END} with new tables.
     *
     * @param readme the README's text
     * @param tables the tables
     * @return the new text
     * @throws IllegalArgumentException if the README lacks either line
     */
    public static String intoReadme(String readme, String tables) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no '" + BEGIN + "' ... '" + END + "' section");
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + tables + readme.substring(end);
    }

    /**
     * Prints the tables, or writes them into a README.
     *
     * @param args {@code [--readme FILE] [RESULTS.json ...]}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path readme = null;
        List<Result> results = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--readme")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--readme needs a file");
                }
                readme = Path.of(args[++i]);
            } else {
                Path file = Path.of(args[i]);
                results.addAll(read(Files.readString(file, StandardCharsets.UTF_8)));
                sources.add("`" + file.getFileName() + "` of " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .format(Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC)));
            }
        }
        String tables = render(results, sources.isEmpty() ? "none yet: the timed cells read \"" + MISSING + "\""
                : String.join(", ", sources), Footprint.measure(), HeapEfficiency.measure());
        if (readme == null) {
            System.out.print(tables);
        } else {
            Files.writeString(readme, intoReadme(Files.readString(readme, StandardCharsets.UTF_8), tables),
                    StandardCharsets.UTF_8);
        }
    }
}
