package io.github.emballoc.cli;

import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.util.Locale;

/**
 * The picture of a heap image ({@code inspect --svg}): the heap as one horizontal strip from offset 0 to
 * its capacity, offsets on an axis below, a legend and the statistics above.
 *
 * <pre>
 *   |#|  used  |#| free |#|used|#|    free     |x|     # header (dark), x the never-visited tail
 *   0        1024       2048       3072       4096
 * </pre>
 *
 * When every entry is at least a pixel wide, each entry is drawn as its own bars: its header (dark, at least
 * a pixel wide so that it stays visible), then its payload in the colour of its state. Otherwise the strip is
 * drawn per pixel column: each column stacks the shares of used payload, headers and free payload among the
 * bytes it covers, and neighbouring columns of the same shares are drawn as one. The 4 bytes after a walk
 * that ends at {@code capacity - 4} (never visited) are red and pointed at from below.
 *
 * <p>Threads: builds one picture per call.
 */
final class HeapPicture {

    static final String USED_COLOUR = "#3182ce";
    static final String FREE_COLOUR = "#9ae6b4";
    static final String HEADER_COLOUR = "#1a202c";
    static final String TAIL_COLOUR = "#e53e3e";

    /** The strip's width in pixels (user units). */
    static final int STRIP = 1120;
    static final int WIDTH = 1200;
    static final int HEIGHT = 300;
    static final int LEFT = 40;
    static final int TOP = 120;
    static final int BAR = 90;

    private static final int USED = 0;
    private static final int HEADER = 1;
    private static final int FREE = 2;
    private static final int TAIL = 3;
    private static final String[] KIND_CLASS = {"used", "header", "free", "tail"};
    private static final String[] KIND_COLOUR = {USED_COLOUR, HEADER_COLOUR, FREE_COLOUR, TAIL_COLOUR};

    private HeapPicture() {
    }

    /** Whether a heap is drawn entry by entry (else per pixel column). */
    static boolean entryByEntry(EntryList entries, int capacity) {
        double scale = (double) STRIP / capacity;
        for (int i = 0; i < entries.count(); i++) {
            if ((HeaderDescriptor.HEADER_LENGTH + (double) entries.size(i)) * scale < 1) {
                return false;
            }
        }
        return true;
    }

    /** Draws the heap. */
    static String svg(String name, EntryList entries, HeapStats stats, String order) {
        int capacity = stats.capacity();
        String title = "emballoc inspect " + name + ": " + String.format(Locale.ROOT, "%,d", capacity) + " bytes, "
                + order + ", " + stats.entries() + (stats.entries() == 1 ? " entry" : " entries");
        Svg svg = new Svg(WIDTH, HEIGHT, title);
        svg.text("title", LEFT, 26, "start", title, "#111111", 15);
        svg.text("stats", LEFT, 48, "start", String.format(Locale.ROOT, "%d used blocks (%,d bytes of payload), %d"
                        + " free entries (%,d bytes, the largest %,d), fragmentation %.1f %%, headers %,d bytes",
                stats.usedEntries(), stats.usedBytes(), stats.freeEntries(), stats.freeBytes(), stats.largestFree(),
                100 * stats.fragmentation(), stats.headerBytes()));
        long walkEnd = entries.count() == 0 ? 0 : (long) entries.offset(entries.count() - 1)
                + HeaderDescriptor.HEADER_LENGTH + entries.size(entries.count() - 1);
        boolean tail = walkEnd < capacity;
        legend(svg, tail);
        double scale = (double) STRIP / capacity;
        boolean byEntry = entryByEntry(entries, capacity);
        svg.rect("strip-background", LEFT, TOP, STRIP, BAR, "#edf2f7", null);
        if (byEntry) {
            drawEntries(svg, entries, scale);
        } else {
            drawColumns(svg, entries, capacity, walkEnd);
        }
        if (tail) {
            double x = LEFT + walkEnd * scale;
            double width = Math.max(2, (capacity - walkEnd) * scale);
            svg.rect("tail", Math.min(x, LEFT + STRIP - width), TOP, width, BAR, TAIL_COLOUR,
                    "bytes " + walkEnd + " to " + (capacity - 1) + ": the never-visited 4-byte tail");
            double tip = Math.min(x + width / 2, LEFT + STRIP - 1);
            svg.polygon("tail-mark", new double[] {tip, tip - 6, tip + 6}, new double[] {TOP - 3, TOP - 13, TOP - 13},
                    3, TAIL_COLOUR, null);
            svg.text("tail-label", tip - 10, TOP - 5, "end", "never-visited 4-byte tail at " + walkEnd, TAIL_COLOUR,
                    12);
        }
        axis(svg, capacity, scale);
        svg.text("note", LEFT, HEIGHT - 12, "start", byEntry
                ? "Each entry is drawn to scale: its header, then its payload."
                : "Entries are narrower than a pixel here: each pixel column (" + String.format(Locale.ROOT, "%,.1f",
                (double) capacity / STRIP) + " bytes) stacks the shares of used payload, headers and free payload"
                + " it covers.", "#4a5568", 11);
        return svg.finish();
    }

    private static void drawEntries(Svg svg, EntryList entries, double scale) {
        for (int i = 0; i < entries.count(); i++) {
            int offset = entries.offset(i);
            boolean used = entries.used(i);
            double x = LEFT + offset * scale;
            double header = HeaderDescriptor.HEADER_LENGTH * scale;
            double payload = entries.size(i) * scale;
            String tooltip = "e " + offset + (used ? " used " : " free ") + entries.size(i);
            svg.rect(used ? "entry used" : "entry free", x + header, TOP, payload, BAR,
                    used ? USED_COLOUR : FREE_COLOUR, tooltip);
            svg.rect("header", x, TOP, Math.max(1, header), BAR, HEADER_COLOUR, "header of " + tooltip);
        }
    }

    /** Per pixel column: the bytes of each kind it covers, stacked; equal neighbours drawn as one. */
    private static void drawColumns(Svg svg, EntryList entries, int capacity, long walkEnd) {
        double[] share = new double[STRIP * 4];
        for (int i = 0; i < entries.count(); i++) {
            long offset = entries.offset(i);
            add(share, capacity, offset, offset + HeaderDescriptor.HEADER_LENGTH, HEADER);
            add(share, capacity, offset + HeaderDescriptor.HEADER_LENGTH,
                    offset + HeaderDescriptor.HEADER_LENGTH + entries.size(i), entries.used(i) ? USED : FREE);
        }
        add(share, capacity, walkEnd, capacity, TAIL);
        int start = 0;
        while (start < STRIP) {
            int end = start + 1;
            while (end < STRIP && sameShares(share, start, end)) {
                end++;
            }
            double total = 0;
            for (int kind = 0; kind < 4; kind++) {
                total += share[4 * start + kind];
            }
            if (total <= 0) {
                throw new IllegalStateException("column " + start + " covers no byte of a heap of " + capacity);
            }
            double y = TOP + BAR;
            long firstByte = (long) Math.floor((double) start * capacity / STRIP);
            long lastByte = (long) Math.ceil((double) end * capacity / STRIP) - 1;
            String tooltip = String.format(Locale.ROOT, "bytes %d to %d: %.0f %% used, %.0f %% headers, %.0f %% free",
                    firstByte, lastByte, 100 * share[4 * start + USED] / total, 100 * share[4 * start + HEADER] / total,
                    100 * share[4 * start + FREE] / total);
            for (int kind : new int[] {USED, HEADER, FREE, TAIL}) {
                double height = BAR * share[4 * start + kind] / total;
                if (height <= 0) {
                    continue;
                }
                y -= height;
                svg.rect("column " + KIND_CLASS[kind], LEFT + start, y, end - start, height, KIND_COLOUR[kind],
                        kind == USED || kind == FREE ? tooltip : null);
            }
            start = end;
        }
    }

    /** Whether two columns hold the same shares, to the percent. */
    private static boolean sameShares(double[] share, int a, int b) {
        double totalA = 0;
        double totalB = 0;
        for (int kind = 0; kind < 4; kind++) {
            totalA += share[4 * a + kind];
            totalB += share[4 * b + kind];
        }
        for (int kind = 0; kind < 4; kind++) {
            if (Math.round(100 * share[4 * a + kind] / totalA) != Math.round(100 * share[4 * b + kind] / totalB)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the bytes {@code [from, to)} of a kind to the columns they fall in, in fractions of a byte. */
    private static void add(double[] share, int capacity, long from, long to, int kind) {
        double at = from;
        while (at < to) {
            int column = (int) Math.floor(at * STRIP / capacity);
            double columnEnd = (column + 1) * (double) capacity / STRIP;
            if (columnEnd <= at) { // rounding put a boundary at or before the byte
                column++;
                columnEnd = (column + 1) * (double) capacity / STRIP;
            }
            column = Math.min(STRIP - 1, column);
            double end = column == STRIP - 1 ? to : Math.min(to, columnEnd);
            share[4 * column + kind] += end - at;
            at = end;
        }
    }

    private static void axis(Svg svg, int capacity, double scale) {
        double y = TOP + BAR + 18;
        svg.line("axis", LEFT, y, LEFT + STRIP, y, "#4a5568", 1);
        long step = Svg.byteTickStep(capacity, 8);
        for (long tick = 0; tick <= capacity; tick += step) {
            double x = LEFT + tick * scale;
            svg.line("tick", x, y, x, y + 5, "#4a5568", 1);
            svg.text("axis-label", x, y + 19, "middle", Svg.bytes(tick));
        }
        svg.text("axis-title", LEFT + STRIP, y + 36, "end", "offset in the heap (bytes); capacity "
                + Svg.bytes(capacity) + (Svg.bytes(capacity).equals(Long.toString(capacity)) ? ""
                : " = " + String.format(Locale.ROOT, "%,d", capacity)));
    }

    private static void legend(Svg svg, boolean tail) {
        String[] labels = {"used payload", "free payload", "header (4 bytes)",
            tail ? "never-visited 4-byte tail" : "never-visited tail (none: the walk ends at the capacity)"};
        String[] colours = {USED_COLOUR, FREE_COLOUR, HEADER_COLOUR, TAIL_COLOUR};
        double x = LEFT;
        for (int i = 0; i < labels.length; i++) {
            svg.rect("legend-mark", x, 66, 14, 14, colours[i], null);
            svg.text("legend", x + 20, 78, "start", labels[i]);
            x += 36 + 6.6 * labels[i].length();
        }
    }
}
