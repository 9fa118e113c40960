package io.github.emballoc.cli;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.Fit;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code emballoc demo}: emballoc's walkthrough step by step, then a seeded random workload. */
@Command(name = "demo",
        header = "Show the allocator at work: emballoc's walkthrough, then a random workload.",
        description = {
                "Shows the allocator at work: first emballoc's documented walkthrough on a 32-byte heap, each "
                        + "step with its operation, its result and a map of the heap; then a random workload "
                        + "(seeded: the same seed gives the same output) on a larger heap, with maps along the way "
                        + "and the final statistics."})
final class DemoCommand implements Callable<Integer> {

    /** emballoc's documented walkthrough (heap-format.md), as a trace. */
    static final String WALKTHROUGH = "heap 32\n"
            + "a x 8\n"
            + "a y 4\n"
            + "a z 16\n"
            + "a w 5\n"
            + "f w\n"
            + "f x\n"
            + "a v 8\n"
            + "f y\n";

    /** The width of the workload's maps, in characters. */
    private static final int MAP_WIDTH = 64;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.ParentCommand
    Emballoc root;

    @Option(names = "--heap", paramLabel = "BYTES", defaultValue = "4096", converter = Converters.HeapSize.class,
            description = "The random workload's heap size (a multiple of 4 from 8 to 2147483644). "
                    + "Default: ${DEFAULT-VALUE}.")
    int heap;

    @Mixin
    FitOption fitOption;

    @Mixin
    StrategyOptions.Demo strategyOptions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "The random workload's seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        Allocators allocators = Allocators.of(fitOption.fit, strategyOptions);
        boolean both = allocators.coalescing() == Coalescing.BOTH;
        StringBuilder out = new StringBuilder();
        out.append("emballoc demo: the entry allocator (4-byte in-band headers, split on allocate, merge ")
                .append(both ? "with both free neighbours" : "forward").append(" on free), ")
                .append(Converters.name(fitOption.fit)).append(" fit").append(fitOption.fit == Fit.BEST
                        ? " (emballoc's own)" : "").append(", ").append(allocators.strategy().word())
                .append(allocators.strategy() == Strategy.LINEAR ? " (a walk over the entries)"
                        : " (an index over the entries)").append(", ").append(Converters.name(allocators.coalescing()))
                .append(" coalescing").append(both ? "" : " (emballoc's own)").append(".\n");
        out.append("Maps: one character per 4 bytes of the heap, unless said otherwise: ").append(HeapMap.LEGEND)
                .append(".\n\n");
        walkthrough(allocators, out);
        out.append('\n');
        workload(allocators, out);
        root.out().append(out);
        return Emballoc.OK;
    }

    /** Part 1: the walkthrough, one row per step. */
    private static void walkthrough(Allocators allocators, StringBuilder out) {
        Trace trace = Trace.parse("walkthrough", WALKTHROUGH);
        int capacity = trace.heapSize().getAsInt();
        Allocator allocator = allocators.build(RawHeaps.allocate(capacity));
        out.append("1. emballoc's documented walkthrough on a ").append(capacity).append("-byte heap\n\n");
        EntryList before = EntryList.of(allocator);
        String[] header = {"operation", "result", "map", "entries (offset state size)", "what happened"};
        String[][] rows = new String[trace.operations().size() + 1][];
        rows[0] = new String[] {"(start)", "", HeapMap.render(before, capacity, 4), before.toString(),
            "one free entry: the heap less one header"};
        int[] bound = new int[trace.idCount()];
        Arrays.fill(bound, Allocator.NULL);
        for (int i = 0; i < trace.operations().size(); i++) {
            Trace.Operation op = trace.operations().get(i);
            String result;
            String note;
            if (op.kind() == Trace.Kind.ALLOCATE) {
                int handle = allocator.allocate(op.size(), op.alignment());
                bound[op.idIndex()] = handle;
                EntryList after = EntryList.of(allocator);
                result = op.id() + " = " + (handle == Allocator.NULL ? "null" : Integer.toString(handle));
                note = allocationNote(op, handle, before, after);
                before = after;
            } else {
                int handle = bound[op.idIndex()];
                String outcome;
                if (handle == Allocator.NULL) {
                    outcome = "unknown-id";
                } else {
                    try {
                        allocator.free(handle);
                        outcome = "ok";
                    } catch (DoubleFreeException e) {
                        outcome = "double-free";
                    } catch (InvalidFreeException e) {
                        outcome = "not-found";
                    }
                }
                EntryList after = EntryList.of(allocator);
                result = outcome;
                note = freeNote(handle, before, allocators.coalescing());
                before = after;
            }
            rows[i + 1] = new String[] {op.toTraceLine(), result, HeapMap.render(before, capacity, 4),
                before.toString(), note};
        }
        table(out, "   ", header, rows);
    }

    private static String allocationNote(Trace.Operation op, int handle, EntryList before, EntryList after) {
        long request = HeaderDescriptor.blockSize(op.size(), op.alignment());
        if (handle == Allocator.NULL) {
            int largest = 0;
            for (int i = 0; i < before.count(); i++) {
                if (!before.used(i)) {
                    largest = Math.max(largest, before.size(i));
                }
            }
            return "no free entry of " + request + " (largest: " + largest + "), nothing changes";
        }
        int index = after.indexHolding(handle);
        int offset = after.offset(index);
        int old = before.size(before.indexAt(offset));
        String rounded = request == op.size() ? "" : " (" + op.size() + " rounded up to " + request + ")";
        if (old == after.size(index)) {
            return "took the free entry at " + offset + " whole" + rounded;
        }
        return "split the free entry at " + offset + " (" + old + "): used " + after.size(index) + ", free "
                + (old - after.size(index) - HeaderDescriptor.HEADER_LENGTH) + rounded;
    }

    private static String freeNote(int handle, EntryList before, Coalescing coalescing) {
        int index = before.indexHolding(handle);
        if (index < 0 || !before.used(index)) {
            return "nothing changes";
        }
        boolean merged = index + 1 < before.count() && !before.used(index + 1);
        boolean freeBefore = index > 0 && !before.used(index - 1);
        if (coalescing == Coalescing.BOTH && freeBefore) {
            return merged ? "freed, merged with the free entries before and after it"
                    : "freed, merged with the free entry before it";
        }
        String note = merged ? "freed, merged with the free entry after it" : "freed";
        if (freeBefore) {
            note += " (the free entry before it stays separate: merges go forward only)";
        }
        return note;
    }

    /** Part 2: a seeded random workload. */
    private void workload(Allocators allocators, StringBuilder out) {
        int capacity = heap;
        int operations = Math.max(64, Math.min(100_000, capacity / 8));
        Allocator allocator = allocators.build(RawHeaps.allocate(capacity));
        int cellBytes = HeapMap.cellBytes(capacity, MAP_WIDTH);
        out.append("2. A random workload on a ").append(capacity).append("-byte heap: ").append(operations)
                .append(" operations, seed ").append(seed).append(" (emballoc demo --seed ").append(seed)
                .append(" repeats it)\n");
        int smallMax = 16;
        int mediumMax = Math.max(smallMax + 1, capacity / 64);
        int largeMax = Math.max(mediumMax + 1, capacity / 8);
        out.append("   60 % allocations (of 1 to ").append(smallMax).append(" bytes half the time, 1 to ")
                .append(mediumMax).append(" 40 %, 1 to ").append(largeMax)
                .append(" 10 %; alignment 1, 4, 8 or 16), 40 % frees of a random live block.\n");
        out.append("   Maps: one character per ").append(cellBytes).append(" bytes")
                .append(cellBytes == 4 ? "" : ", showing what fills most of them").append(".\n\n");
        SplittableRandom random = new SplittableRandom(seed);
        int[] live = new int[operations];
        int liveCount = 0;
        int allocations = 0;
        int failed = 0;
        int frees = 0;
        int[] alignments = {1, 1, 4, 8, 16};
        for (int step = 1; step <= operations; step++) {
            if (liveCount == 0 || random.nextInt(100) < 60) {
                int kind = random.nextInt(100);
                int size = 1 + random.nextInt(kind < 50 ? smallMax : kind < 90 ? mediumMax : largeMax);
                int alignment = alignments[random.nextInt(alignments.length)];
                allocations++;
                int handle = allocator.allocate(size, alignment);
                if (handle == Allocator.NULL) {
                    failed++;
                } else {
                    live[liveCount++] = handle;
                }
            } else {
                int pick = random.nextInt(liveCount);
                allocator.free(live[pick]);
                live[pick] = live[--liveCount];
                frees++;
            }
            if (step % (operations / 4) == 0 || step == operations) {
                String label = step == operations ? "final" : "after " + step;
                out.append("   ");
                pad(out, label, 12);
                out.append(HeapMap.render(EntryList.of(allocator), capacity, cellBytes)).append('\n');
            }
        }
        allocator.verify();
        HeapStats stats = allocator.stats();
        out.append('\n');
        out.append("   ").append(allocations).append(" allocations (").append(failed)
                .append(" returned null: no free entry was large enough), ").append(frees).append(" frees, ")
                .append(liveCount).append(liveCount == 1 ? " block" : " blocks")
                .append(" live at the end. Statistics of the final heap:\n");
        StatsReport.write(stats, "     ", out);
    }

    private static void table(StringBuilder out, String indent, String[] header, String[][] rows) {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        tableRow(out, indent, header, widths);
        for (String[] row : rows) {
            tableRow(out, indent, row, widths);
        }
    }

    private static void tableRow(StringBuilder out, String indent, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            if (c == cells.length - 1) {
                line.append(cells[c]);
            } else {
                pad(line, cells[c], widths[c] + 2);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static void pad(StringBuilder out, String text, int width) {
        out.append(text);
        for (int i = text.length(); i < width; i++) {
            out.append(' ');
        }
    }
}
