package io.github.emballoc.cli;

import io.github.emballoc.api.EntryList;
/**
 * A one-line picture of a heap. Each character stands for {@code cellBytes} bytes (4, one word, for small
 * heaps): {@code #} an entry header, {@code U} the payload of a used block, {@code .} the payload of a free
 * entry, {@code x} bytes no entry covers (the last 4 bytes of a heap whose walk ends at {@code capacity - 4}).
 * When a character stands for more than one word it shows the kind that fills most of its bytes (ties: used,
 * then free, then header, then unusable).
 */
final class HeapMap {

    /** The legend printed beside maps. */
    static final String LEGEND = "'#' an entry header, 'U' the payload of a used block, '.' the payload of a free"
            + " entry, 'x' the last 4 bytes when no entry can use them";

    private static final char[] SYMBOLS = {'U', '.', '#', 'x'};
    private static final int USED = 0;
    private static final int FREE = 1;
    private static final int HEADER = 2;
    private static final int UNUSABLE = 3;

    private HeapMap() {
    }

    /** Returns the bytes one character stands for, so that the map is at most {@code maxWidth} wide. */
    static int cellBytes(int capacity, int maxWidth) {
        long words = ((long) capacity + 3) / 4;
        long wordsPerCell = (words + maxWidth - 1) / maxWidth;
        return (int) Math.max(4, wordsPerCell * 4);
    }

    /** Draws the map of {@code entries} on a heap of {@code capacity} bytes, one character per {@code cellBytes}. */
    static String render(EntryList entries, int capacity, int cellBytes) {
        int cells = (int) (((long) capacity + cellBytes - 1) / cellBytes);
        long[] counts = new long[cells * 4];
        long end = 0;
        for (int i = 0; i < entries.count(); i++) {
            long offset = entries.offset(i);
            add(counts, cellBytes, capacity, offset, offset + 4, HEADER);
            add(counts, cellBytes, capacity, offset + 4, offset + 4 + entries.size(i), entries.used(i) ? USED : FREE);
            end = offset + 4 + entries.size(i);
        }
        add(counts, cellBytes, capacity, end, capacity, UNUSABLE);
        StringBuilder map = new StringBuilder(cells + 2).append('[');
        for (int cell = 0; cell < cells; cell++) {
            int best = 0;
            for (int kind = 1; kind < 4; kind++) {
                if (counts[4 * cell + kind] > counts[4 * cell + best]) {
                    best = kind;
                }
            }
            map.append(SYMBOLS[best]);
        }
        return map.append(']').toString();
    }

    private static void add(long[] counts, int cellBytes, int capacity, long from, long to, int kind) {
        long stop = Math.min(to, capacity);
        long at = from;
        while (at < stop) {
            int cell = (int) (at / cellBytes);
            long cellEnd = Math.min(stop, (long) (cell + 1) * cellBytes);
            counts[4 * cell + kind] += cellEnd - at;
            at = cellEnd;
        }
    }
}
