package io.github.emballoc.benchmarks.report;

import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subject;
import io.github.emballoc.benchmarks.subject.Subjects;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one block costs: for a request size, a fresh region of {@link #REGION} bytes is filled with blocks of that
 * size until the first allocation fails; the region's size divided by the blocks it held is the region bytes per
 * block (headers, rounding, size classes, and each allocator's fixed bookkeeping in the region spread over the
 * blocks: one-nio's 1 KiB bin table is 0.4% of it). Beside it, the Java heap bytes the filling thread allocated,
 * per block ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}): the bookkeeping an
 * allocator keeps on the Java heap (Netty's buffer objects and subpage bitmaps, for example), which the region
 * figure does not see. No timing is involved, so the figures do not depend on the machine.
 *
 * <p>{@code java -cp benchmarks.jar io.github.emballoc.benchmarks.report.Footprint} prints the table.
 *
 * <p>Stateless; any thread.
 */
public final class Footprint {

    /** The region each fill gets: 256 KiB. */
    public static final int REGION = 256 << 10;

    /** The request sizes measured. */
    public static final List<Integer> REQUESTS = List.of(1, 4, 17, 64);

    private Footprint() {
    }

    /**
     * One fill's outcome.
     *
     * @param allocator the allocator's name
     * @param request the request size
     * @param blocks how many blocks the region held
     * @param regionBytes the region's size
     * @param javaHeapBytes Java heap bytes the filling thread allocated, or -1 where the JVM cannot count them
     */
    public record Fill(String allocator, int request, int blocks, long regionBytes, long javaHeapBytes) {

        /**
         * Returns the region bytes per block.
         *
         * @return region size divided by the blocks held
         */
        public double regionPerBlock() {
            return (double) regionBytes / blocks;
        }

        /**
         * Returns the Java heap bytes allocated per block.
         *
         * @return the bytes per block, or -1 where the JVM cannot count them
         */
        public double javaHeapPerBlock() {
            return javaHeapBytes < 0 ? -1 : (double) javaHeapBytes / blocks;
        }
    }

    /**
     * Fills a fresh region with blocks of one size until the first failure.
     *
     * @param allocator the allocator's name ({@link Subjects}); this project's over a {@code byte[]} heap
     * @param request the request size in bytes, 1 or more
     * @param region the region's size (a power of two)
     * @return the outcome
     */
    public static Fill fill(String allocator, int request, int region) {
        int slots = region / 4 + 1; // no allocator here serves a block in less than 8 bytes
        try (Subject subject = Subjects.create(allocator, "array", region, slots, Sharing.CONFINED)) {
            long before = allocatedBytes();
            int blocks = 0;
            while (blocks < slots && subject.allocate(blocks, request)) {
                blocks++;
            }
            long after = allocatedBytes();
            if (blocks == slots) {
                throw new IllegalStateException(allocator + " served " + slots + " blocks of " + request
                        + " bytes in " + region + " bytes: fewer than 4 bytes each");
            }
            return new Fill(allocator, request, blocks, subject.regionBytes(), before < 0 ? -1 : after - before);
        }
    }

    /**
     * Measures every allocator of the footprint table for every request size.
     *
     * @return the fills, allocator by allocator, in {@link #REQUESTS} order
     */
    public static List<Fill> measure() {
        List<Fill> fills = new ArrayList<>();
        for (String allocator : allocators()) {
            for (int request : REQUESTS) {
                fills.add(fill(allocator, request, REGION));
            }
        }
        return fills;
    }

    /**
     * The allocators of the footprint and heap-efficiency tables: this project's and the single-region peers
     * ({@code onenio-mt} is {@code onenio} cut into segments, and only differs under contention).
     *
     * @return their names
     */
    public static List<String> allocators() {
        List<String> names = new ArrayList<>(Subjects.EMBALLOC);
        for (String peer : Subjects.PEERS) {
            if (!peer.equals("onenio-mt")) {
                names.add(peer);
            }
        }
        return names;
    }

    /**
     * Formats fills as two markdown tables (region bytes per block, Java heap bytes per block).
     *
     * @param fills the fills of {@link #measure()}
     * @return the tables
     */
    public static String markdown(List<Fill> fills) {
        StringBuilder out = new StringBuilder();
        out.append("Region bytes per block (").append(REGION >> 10).append(" KiB region filled until the first ")
                .append("failure; region / blocks):\n\n");
        header(out);
        row(out, fills, false);
        out.append("\nJava heap bytes allocated per block while filling (bookkeeping outside the region):\n\n");
        header(out);
        row(out, fills, true);
        return out.toString();
    }

    private static void header(StringBuilder out) {
        out.append("| allocator |");
        for (int request : REQUESTS) {
            out.append(' ').append(request).append(request == 1 ? " byte |" : " bytes |");
        }
        out.append("\n|---|");
        out.append("---:|".repeat(REQUESTS.size()));
        out.append('\n');
    }

    private static void row(StringBuilder out, List<Fill> fills, boolean javaHeap) {
        String current = null;
        for (Fill fill : fills) {
            if (!fill.allocator().equals(current)) {
                if (current != null) {
                    out.append('\n');
                }
                current = fill.allocator();
                out.append("| ").append(Tables.label(current)).append(" |");
            }
            double value = javaHeap ? fill.javaHeapPerBlock() : fill.regionPerBlock();
            out.append(' ').append(value < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", value)).append(" |");
        }
        out.append('\n');
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean counting = (com.sun.management.ThreadMXBean) threads;
            if (counting.isThreadAllocatedMemorySupported() && counting.isThreadAllocatedMemoryEnabled()) {
                return counting.getCurrentThreadAllocatedBytes();
            }
        }
        return -1;
    }

    /**
     * Prints the footprint tables.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.print(markdown(measure()));
    }
}
