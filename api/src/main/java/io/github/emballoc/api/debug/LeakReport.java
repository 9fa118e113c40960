package io.github.emballoc.api.debug;

import java.util.List;
import java.util.Objects;

/**
 * The live blocks a {@link LeakTracker} knows where they were allocated, grouped by allocation site, largest
 * first: as data (this record and its {@link Site}s) and as text ({@link #toText()}).
 *
 * <pre>
 * 3 live blocks tracked (112 bytes) at 2 allocation sites, of 3 live blocks in all; level EVERY
 *   2 blocks, 96 bytes (handles 4, 56), allocated at
 *     com.example.Cache.put(Cache.java:42)
 *     com.example.Server.handle(Server.java:17)
 *   1 block, 16 bytes (handle 112), allocated at
 *     ...
 * </pre>
 *
 * <p>Threads: immutable; may be read from any thread.
 *
 * @param level the tracker's level
 * @param samplingInterval how many allocations one tracked block stands for at level {@code SAMPLED} (1 at
 *     level {@code EVERY}, 0 at level {@code OFF})
 * @param liveBlocks the used blocks in the heap at the time of the report, tracked or not
 * @param sites the allocation sites of the tracked live blocks, by bytes, then blocks, then first frame
 */
public record LeakReport(LeakTracker.Level level, int samplingInterval, int liveBlocks, List<Site> sites) {

    /** How many handles the text lists per site before it writes "...". */
    private static final int HANDLES_SHOWN = 8;

    /**
     * Checks the parts and copies the list.
     *
     * @param level the tracker's level
     * @param samplingInterval allocations per tracked block
     * @param liveBlocks the used blocks in the heap
     * @param sites the allocation sites
     * @throws NullPointerException if {@code level} or {@code sites} is {@code null}
     * @throws IllegalArgumentException if a count is negative
     */
    public LeakReport {
        Objects.requireNonNull(level, "level");
        sites = List.copyOf(sites);
        if (samplingInterval < 0 || liveBlocks < 0) {
            throw new IllegalArgumentException("negative count: sampling interval " + samplingInterval
                    + ", live blocks " + liveBlocks);
        }
    }

    /**
     * One allocation site and the live blocks allocated there.
     *
     * @param frames the stack at the allocation, innermost first, without the frames of emballoc's API
     *     (the decorators and default methods the call went through); at most the tracker's stack depth
     * @param blocks how many live blocks were allocated there
     * @param bytes the sizes they were requested with, added up (the size of the last reallocation for a
     *     reallocated block)
     * @param handles the blocks' handles, ascending
     */
    public record Site(List<StackTraceElement> frames, int blocks, long bytes, List<Integer> handles) {

        /**
         * Checks the parts and copies the lists.
         *
         * @param frames the stack at the allocation
         * @param blocks how many live blocks
         * @param bytes their requested sizes added up
         * @param handles their handles
         * @throws NullPointerException if a list is {@code null}
         * @throws IllegalArgumentException if {@code blocks} is not the number of handles, or {@code bytes}
         *     is negative
         */
        public Site {
            frames = List.copyOf(frames);
            handles = List.copyOf(handles);
            if (blocks != handles.size() || bytes < 0) {
                throw new IllegalArgumentException(blocks + " blocks with " + handles.size() + " handles and "
                        + bytes + " bytes");
            }
        }
    }

    /**
     * Returns how many live blocks the report names.
     *
     * @return the blocks of all sites
     */
    public int trackedBlocks() {
        int blocks = 0;
        for (Site site : sites) {
            blocks += site.blocks();
        }
        return blocks;
    }

    /**
     * Returns the bytes of the live blocks the report names.
     *
     * @return the requested sizes of all sites' blocks, added up
     */
    public long trackedBytes() {
        long bytes = 0;
        for (Site site : sites) {
            bytes += site.bytes();
        }
        return bytes;
    }

    /**
     * Tells whether the report names no live block.
     *
     * @return whether there is no site
     */
    public boolean isEmpty() {
        return sites.isEmpty();
    }

    /**
     * Writes the report as text: a summary line, then per site its blocks, bytes and handles and its stack,
     * one frame a line. Each line ends with {@code \n}.
     *
     * @return the text
     */
    public String toText() {
        StringBuilder text = new StringBuilder();
        int blocks = trackedBlocks();
        text.append(blocks(blocks)).append(" tracked (").append(trackedBytes()).append(" bytes) at ")
                .append(sites.size()).append(sites.size() == 1 ? " allocation site" : " allocation sites")
                .append(", of ").append(blocks(liveBlocks)).append(" in all; level ").append(level);
        if (level == LeakTracker.Level.SAMPLED) {
            text.append(" (1 in ").append(samplingInterval).append(" allocations tracked)");
        }
        text.append('\n');
        for (Site site : sites) {
            text.append("  ").append(site.blocks() == 1 ? "1 block" : site.blocks() + " blocks").append(", ")
                    .append(site.bytes()).append(" bytes (").append(site.blocks() == 1 ? "handle " : "handles ");
            List<Integer> handles = site.handles();
            for (int i = 0; i < handles.size() && i < HANDLES_SHOWN; i++) {
                text.append(i == 0 ? "" : ", ").append(handles.get(i));
            }
            if (handles.size() > HANDLES_SHOWN) {
                text.append(", ...");
            }
            text.append("), allocated at\n");
            if (site.frames().isEmpty()) {
                text.append("    (no frame outside emballoc)\n");
            }
            for (StackTraceElement frame : site.frames()) {
                text.append("    ").append(frame).append('\n');
            }
        }
        return text.toString();
    }

    private static String blocks(int count) {
        return count == 1 ? "1 live block" : count + " live blocks";
    }

    /**
     * Returns {@link #toText()}.
     *
     * @return the text of the report
     */
    @Override
    public String toString() {
        return toText();
    }
}
