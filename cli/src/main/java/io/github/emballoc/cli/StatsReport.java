package io.github.emballoc.cli;

import io.github.emballoc.api.HeapStats;
import java.util.Locale;

/** Writes {@link HeapStats} as aligned lines, shared by {@code demo} and {@code inspect}. */
final class StatsReport {

    private StatsReport() {
    }

    /** Writes the statistics, each line starting with {@code indent}. */
    static void write(HeapStats stats, String indent, StringBuilder out) {
        line(out, indent, "capacity", stats.capacity() + " bytes");
        line(out, indent, "entries", stats.entries() + " (" + stats.usedEntries() + " used, " + stats.freeEntries()
                + " free)");
        line(out, indent, "used", stats.usedBytes() + " bytes of payload in " + stats.usedEntries()
                + (stats.usedEntries() == 1 ? " block" : " blocks"));
        line(out, indent, "free", stats.freeBytes() + " bytes of payload in " + stats.freeEntries()
                + (stats.freeEntries() == 1 ? " entry" : " entries"));
        line(out, indent, "largest free", stats.largestFree() + " bytes");
        line(out, indent, "fragmentation", String.format(Locale.ROOT, "%.1f %%", 100 * stats.fragmentation())
                + " (1 - largest free / free)");
        line(out, indent, "header overhead", stats.headerBytes() + " bytes (4 per entry, "
                + String.format(Locale.ROOT, "%.1f %%", 100.0 * stats.headerBytes() / stats.capacity())
                + " of the heap)");
        line(out, indent, "unusable", stats.unusableBytes() + " bytes"
                + (stats.unusableBytes() == 0 ? "" : " (the last word, after the walk's end)"));
    }

    private static void line(StringBuilder out, String indent, String label, String value) {
        out.append(indent).append(label);
        for (int i = label.length(); i < 17; i++) {
            out.append(' ');
        }
        out.append(value).append('\n');
    }
}
