package io.github.emballoc.cli;

import io.github.emballoc.api.trace.Trace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code emballoc size}: the smallest heap on which no allocation of a trace fails. */
@Command(name = "size",
        header = "Find the smallest heap on which no allocation of a trace fails.",
        description = {
                "Finds the smallest heap size (a multiple of 4) on which no allocation of the trace fails, and "
                        + "prints it with the peak live payload, the lower bound the search starts from, and the "
                        + "overhead between them (headers, alignment padding, fragmentation). The trace's 'heap' "
                        + "line is ignored.",
                "",
                "A larger heap can fail where a smaller one succeeds (each size lays blocks out differently), so "
                        + "the answer is found by replaying sizes, not by bisection: from the lower bound (no "
                        + "smaller heap can hold the blocks certainly live at the trace's peak) upward in steps "
                        + "of 4 until one works. Every size below the answer is then excluded by the bound or "
                        + "was tried. If the scan needs more than --max-replays replays, it jumps ahead "
                        + "(doubling, then bisection) and the output lists exactly which sizes were tried.",
                "",
                "Each size tried is a replay of the trace that stops at its first failed allocation or "
                        + "reallocation (a size only has to be told working or not), and --threads sizes are "
                        + "replayed at once. A trace of a million operations takes seconds per size with the linear "
                        + "strategy, and minutes in all; the indexed strategy is much faster on long traces."})
final class SizeCommand implements Callable<Integer> {

    @ParentCommand
    Emballoc root;

    @Mixin
    CommonOptions common;

    @Mixin
    FitOption fitOption;

    @Mixin
    StrategyOptions strategyOptions;

    /**
     * The operations the default budget lets the linear scan replay in all: a 1,000,000-operation trace gets 20
     * replays (about two minutes here, plus the jump phase).
     */
    static final long DEFAULT_WORK = 20_000_000L;
    /** The most replays the default budget allows. */
    static final int DEFAULT_MAX_REPLAYS = 4096;

    @Option(names = "--max-replays", paramLabel = "N",
            description = "How many sizes the linear scan may replay before it jumps ahead. Default: 4096, fewer "
                    + "for long traces (20,000,000 divided by the number of operations, at least 16).")
    Integer maxReplays;

    @Option(names = "--threads", paramLabel = "N",
            description = "How many sizes of the scan are replayed at once (each replay is independent; the answer "
                    + "does not depend on it). Default: the processors available, ${DEFAULT-VALUE} here.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "TRACE", description = "The trace file, or - for standard input.")
    String traceName;

    @Override
    public Integer call() {
        if (maxReplays != null && maxReplays < 1) {
            throw CliException.usage("--max-replays " + maxReplays + ": give 1 or more");
        }
        if (threads < 1) {
            throw CliException.usage("--threads " + threads + ": give 1 or more");
        }
        Allocators allocators = Allocators.of(fitOption.fit, strategyOptions);
        Trace trace = TraceInput.load(traceName, root.stdin());
        int budget = maxReplays != null ? maxReplays : defaultBudget(trace.operations().size());
        SizeSearch.LowerBound bound = SizeSearch.lowerBound(trace);
        SizeSearch.Outcome outcome = SizeSearch.search(trace, allocators, bound.bytes, budget, threads);
        int size = outcome.size;
        StringBuilder out = new StringBuilder();
        out.append(traceName).append(" (").append(allocators.describe()).append("): no allocation fails on a heap of ")
                .append(size).append(" bytes").append(outcome.exhaustive ? ", and on none smaller" : "").append("\n\n");
        line(out, "heap size", size + " bytes");
        SizeSearch.Peak peak = bound.nominal;
        boolean samePeak = peak.bytes == bound.peakBytes && peak.line == bound.line && bound.discounted == 0;
        if (peak.blocks == 0) {
            line(out, "peak live", "0 bytes (the trace holds no block at any time)");
        } else {
            line(out, "peak live", peak.payload + " bytes of payload in " + blocks(peak.blocks) + ", after line "
                    + peak.line + (samePeak ? ""
                    : " (each block counted from its 'a' to the next 'f' of its ID)"));
        }
        String made = bound.payload + " payload + " + bound.headers() + " headers (4 per block) + " + bound.padding()
                + " alignment and rounding padding";
        String certain = samePeak ? ""
                : ", the " + blocks(bound.blocks) + " certainly live after line " + bound.line + (bound.discounted == 0
                ? "" : " (" + bound.discounted + " more held then are left out: as many frees with a delta, or of an"
                + " offset a newer block may hold, may have freed them)");
        line(out, "lower bound", bound.bytes + " bytes = "
                + (bound.peakBytes < bound.bytes ? "the smallest heap (the blocks need only " + bound.peakBytes
                + " = " + made + certain + ")" : made + certain));
        long beyond = size - peak.bytes;
        line(out, "overhead", (size - peak.payload) + " bytes over the peak live payload = " + peak.headers()
                + " headers + " + peak.padding() + " padding + "
                + (beyond >= 0 ? beyond + " fragmentation (free space the layout needs beyond the peak's entries)"
                : "0 fragmentation, less " + (-beyond) + " bytes: the heap is smaller than the peak's entries,"
                + " as frees with a delta or of a reused offset released other blocks"));
        out.append('\n');
        out.append("How it was found: no heap smaller than the lower bound, ").append(bound.bytes)
                .append(" bytes, can serve every allocation. ");
        if (outcome.exhaustive) {
            if (size == bound.bytes) {
                out.append("The lower bound itself works (1 replay), so it is the smallest.");
            } else {
                out.append("Every multiple of 4 from ").append(bound.bytes).append(" to ").append(size - 4)
                        .append(" was replayed and fails (").append(outcome.replays - 1).append(outcome.replays == 2
                        ? " size" : " sizes").append("), and ").append(size).append(" works: every smaller size was ")
                        .append("tried, so ").append(size).append(" is the smallest.");
            }
        } else {
            out.append("Every multiple of 4 from ").append(bound.bytes).append(" to ").append(outcome.scannedTo)
                    .append(" was replayed and fails (").append(budget).append(budget == 1 ? " size" : " sizes")
                    .append(", the --max-replays budget);")
                    .append(" then the search jumped ahead and tried");
            for (int i = 0; i < outcome.probes.length; i++) {
                out.append(i == 0 ? " " : ", ").append(outcome.probes[i])
                        .append(outcome.probeWorked[i] ? " (works)" : " (fails)");
            }
            out.append(". ").append(size).append(" works and ").append(size - 4).append(" fails, but the sizes from ")
                    .append(outcome.scannedTo + 4).append(" to ").append(size - 8)
                    .append(" not listed were not tried: a smaller heap among them may work. Raise --max-replays to"
                            + " scan them all.");
        }
        out.append(" A larger heap is not guaranteed to work: each size lays the blocks out differently.\n");
        root.out().append(out);
        return Emballoc.OK;
    }

    /** The default budget of the linear scan for a trace of {@code operations} operations. */
    static int defaultBudget(int operations) {
        return (int) Math.max(16, Math.min(DEFAULT_MAX_REPLAYS, DEFAULT_WORK / Math.max(1, operations)));
    }

    private static String blocks(int count) {
        return count + (count == 1 ? " block" : " blocks");
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append("  ").append(label);
        for (int i = label.length(); i < 13; i++) {
            out.append(' ');
        }
        out.append(value).append('\n');
    }
}
