package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReader;
import java.util.Arrays;
import java.util.Locale;

/**
 * The picture of a replay ({@code replay --plot}): used bytes, free bytes, the largest free entry (bytes,
 * left axis) and fragmentation (percent, right axis) after each operation, against the operation number,
 * with a red mark above the plot for each failed allocation or reallocation.
 *
 * <pre>
 *   title, legend
 *   bytes |   /\/\__/----  used          | %
 *         |  /          \____ free        |
 *         +--------------------------------+
 *              operation number
 * </pre>
 *
 * A run of more operations than the plot has columns ({@value #COLUMNS}) is drawn per column: each column
 * covers the same number of consecutive operations and its line goes through the column's minimum and
 * maximum of each series, so no extreme is lost; failures are marked per column with their count, so every
 * failure stays visible. Memory and the file's size depend on the columns, not on the run's length.
 *
 * <p>Threads: one replay records into one plot.
 */
final class RunPlot {

    /** The most columns of operations the plot draws. */
    static final int COLUMNS = 1000;
    private static final int SERIES = 4;

    static final String USED_COLOUR = "#2b6cb0";
    static final String FREE_COLOUR = "#38a169";
    static final String LARGEST_COLOUR = "#dd6b20";
    static final String FRAGMENTATION_COLOUR = "#805ad5";
    static final String FAILURE_COLOUR = "#e53e3e";

    static final int WIDTH = 1100;
    static final int HEIGHT = 560;
    static final int LEFT = 90;
    static final int RIGHT = 70;
    static final int TOP = 90;
    static final int BOTTOM = 60;

    private final String title;
    private final String subtitle;
    private final int capacity;
    private final long operations;
    /** Operations per column. */
    private final long perColumn;
    private final int columns;
    /**
     * Per series (used, free, largest free, fragmentation) and column: the minimum and maximum as a share of
     * the plot's height (bytes over the capacity, fragmentation as it is); -1 when nothing was recorded.
     */
    private final double[][] minimum = new double[SERIES][];
    private final double[][] maximum = new double[SERIES][];
    private final int[] failures;
    private final String[] firstFailure;
    private long recorded;
    private long failed;

    /** A plot of {@code operations} operations on a heap of {@code capacity} bytes. */
    RunPlot(String traceName, Allocators allocators, int capacity, long operations) {
        String file = traceName.equals("-") ? "standard input" : String.valueOf(TraceInput.path(traceName)
                .getFileName());
        this.title = "emballoc replay " + file;
        this.subtitle = String.format(Locale.ROOT, "%,d", operations) + " operations on a heap of "
                + String.format(Locale.ROOT, "%,d", capacity) + " bytes (" + allocators.describe() + ")";
        this.capacity = capacity;
        this.operations = operations;
        this.perColumn = Math.max(1, (operations + COLUMNS - 1) / COLUMNS);
        this.columns = (int) Math.max(1, (operations + perColumn - 1) / perColumn);
        for (int series = 0; series < SERIES; series++) {
            minimum[series] = new double[columns];
            maximum[series] = new double[columns];
            Arrays.fill(minimum[series], -1);
        }
        failures = new int[columns];
        firstFailure = new String[columns];
    }

    /** Records the state after the reader's current operation, which had {@code outcome}. */
    void record(TraceReader reader, int outcome, HeapStats stats) {
        int column = (int) Math.min(columns - 1, recorded / perColumn);
        double[] values = {(double) stats.usedBytes() / capacity, (double) stats.freeBytes() / capacity,
            (double) stats.largestFree() / capacity, stats.fragmentation()};
        for (int series = 0; series < SERIES; series++) {
            if (minimum[series][column] < 0) {
                minimum[series][column] = values[series];
                maximum[series][column] = values[series];
            } else {
                minimum[series][column] = Math.min(minimum[series][column], values[series]);
                maximum[series][column] = Math.max(maximum[series][column], values[series]);
            }
        }
        recorded++;
        if (reader.kind() != Trace.Kind.FREE && outcome == Allocator.NULL) {
            failed++;
            if (failures[column]++ == 0) {
                firstFailure[column] = "operation " + recorded + " (" + reader.source() + ":" + reader.line() + "): "
                        + (reader.kind() == Trace.Kind.ALLOCATE ? "a " : "r ") + reader.id() + " " + reader.size()
                        + (reader.alignment() == 1 ? "" : " " + reader.alignment()) + " returned null";
            }
        }
    }

    /** Draws the picture. */
    String svg() {
        Svg svg = new Svg(WIDTH, HEIGHT, title + ": " + subtitle);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        svg.text("title", LEFT, 24, "start", title + ": " + subtitle, "#111111", 15);
        legend(svg);
        svg.rect("plot-area", LEFT, TOP, plotWidth, plotHeight, "#fafafa", null);
        // Axes: bytes on the left, from 0 to the capacity; percent on the right; operations below.
        long step = Svg.byteTickStep(capacity, 8);
        for (long tick = 0; tick <= capacity; tick += step) {
            double y = TOP + plotHeight - plotHeight * tick / capacity;
            svg.line("grid", LEFT, y, LEFT + plotWidth, y, "#e2e8f0", 1);
            svg.text("axis-label bytes", LEFT - 6, y + 4, "end", Svg.bytes(tick));
        }
        for (int percent = 0; percent <= 100; percent += 25) {
            double y = TOP + plotHeight - plotHeight * percent / 100;
            svg.text("axis-label percent", LEFT + plotWidth + 6, y + 4, "start", percent + " %", FRAGMENTATION_COLOUR,
                    12);
        }
        long last = Math.max(1, operations);
        long opStep = Svg.tickStep(last, 10);
        for (long tick = 0; tick <= last; tick += opStep) {
            double x = LEFT + plotWidth * tick / last;
            svg.line("tick", x, TOP + plotHeight, x, TOP + plotHeight + 5, "#4a5568", 1);
            svg.text("axis-label operations", x, TOP + plotHeight + 19, "middle", String.format(Locale.ROOT, "%,d",
                    tick));
        }
        svg.text("axis-title", LEFT + plotWidth / 2, HEIGHT - 14, "middle", "operation number"
                + (perColumn > 1 ? " (each column: " + String.format(Locale.ROOT, "%,d", perColumn)
                + " operations, drawn through their minimum and maximum)" : ""));
        svg.text("axis-title", 16, TOP - 16, "start", "bytes");
        svg.text("axis-title", WIDTH - 6, TOP - 16, "end", "fragmentation", FRAGMENTATION_COLOUR, 12);
        svg.line("axis", LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#4a5568", 1);
        svg.line("axis", LEFT, TOP, LEFT, TOP + plotHeight, "#4a5568", 1);

        String[] classes = {"series used", "series free", "series largest-free", "series fragmentation"};
        String[] colours = {USED_COLOUR, FREE_COLOUR, LARGEST_COLOUR, FRAGMENTATION_COLOUR};
        double[] xs = new double[2 * columns];
        double[] ys = new double[2 * columns];
        for (int series = 0; series < SERIES; series++) {
            // Through each column's minimum and maximum, in the order that keeps the line short.
            int count = 0;
            for (int column = 0; column < columns; column++) {
                if (minimum[series][column] < 0) {
                    continue;
                }
                double x = x(column, plotWidth);
                double low = TOP + plotHeight - plotHeight * minimum[series][column];
                double high = TOP + plotHeight - plotHeight * maximum[series][column];
                boolean up = count == 0 || Math.abs(ys[count - 1] - low) <= Math.abs(ys[count - 1] - high);
                xs[count] = x;
                ys[count++] = up ? low : high;
                if (low != high) {
                    xs[count] = x;
                    ys[count++] = up ? high : low;
                }
            }
            svg.polyline(classes[series], xs, ys, count, colours[series], series == 3 ? "5,3" : null);
        }
        for (int column = 0; column < columns; column++) {
            if (failures[column] == 0) {
                continue;
            }
            double x = x(column, plotWidth);
            String tooltip = failures[column] == 1 ? firstFailure[column]
                    : failures[column] + " failed allocations in operations " + (column * perColumn + 1) + " to "
                    + Math.min(operations, (column + 1) * perColumn) + "; the first: " + firstFailure[column];
            svg.polygon("failure", new double[] {x - 4, x + 4, x}, new double[] {TOP - 9, TOP - 9, TOP - 1}, 3,
                    FAILURE_COLOUR, tooltip);
        }
        return svg.finish();
    }

    private double x(int column, double plotWidth) {
        long lastOperation = Math.min(operations, (column + 1) * perColumn);
        long firstOperation = column * perColumn + 1;
        double middle = perColumn == 1 ? lastOperation : (firstOperation + lastOperation) / 2.0;
        return LEFT + plotWidth * middle / Math.max(1, operations);
    }

    private void legend(Svg svg) {
        String[] labels = {"used bytes (payload of used blocks)", "free bytes (payload of free entries)",
            "largest free entry", "fragmentation (1 - largest free / free), right axis",
            "failed allocation (" + failed + " in all)"};
        String[] colours = {USED_COLOUR, FREE_COLOUR, LARGEST_COLOUR, FRAGMENTATION_COLOUR, FAILURE_COLOUR};
        double x = LEFT;
        double y = 50;
        for (int i = 0; i < labels.length; i++) {
            double width = 34 + 6.4 * labels[i].length();
            if (x + width > WIDTH - 20) {
                x = LEFT;
                y += 18;
            }
            if (i == labels.length - 1) {
                svg.polygon("legend-mark failure-sample", new double[] {x + 8, x + 18, x + 13},
                        new double[] {y - 8, y - 8, y + 1}, 3, colours[i], null);
            } else {
                svg.line("legend-mark", x, y - 4, x + 24, y - 4, colours[i], i == 3 ? 1.5 : 3);
            }
            svg.text("legend", x + 30, y, "start", labels[i]);
            x += width;
        }
    }
}
