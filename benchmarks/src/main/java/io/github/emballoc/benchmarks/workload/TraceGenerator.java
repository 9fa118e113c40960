package io.github.emballoc.benchmarks.workload;

import io.github.emballoc.api.trace.Trace;
import java.util.SplittableRandom;

/**
 * Writes a long seeded trace in the trace format ({@code trace-format.md}), for the replay benchmark: what a
 * program's recorded allocations look like to {@code emballoc replay} and {@code emballoc size}.
 *
 * <p>The trace: a {@code heap} line of {@link #HEAP} bytes, then {@link #OPERATIONS} operations. Each allocates
 * (sizes 1 to 512 bytes uniformly; one in 16 asks for an alignment of 8, 16, 32 or 64) or frees a random live
 * block; allocations are drawn with probability 0.55 while fewer than {@link #TARGET_LIVE} blocks are live and
 * 0.45 above, so about that many are live once it has filled. IDs are reused once their block is freed.
 * Every free names a live block (a recorded program frees what it allocated), none with a delta.
 *
 * <p>Stateless; any thread.
 */
public final class TraceGenerator {

    /** Operations in the trace. */
    public static final int OPERATIONS = 100_000;

    /** The live blocks the trace hovers around. */
    public static final int TARGET_LIVE = 1_000;

    /** The trace's heap size: about four times what the live blocks request. */
    public static final int HEAP = 1 << 20;

    private TraceGenerator() {
    }

    /**
     * Writes the trace of a seed.
     *
     * @param seed the seed
     * @return the trace's text
     */
    public static String text(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(OPERATIONS * 12);
        out.append("# ").append(OPERATIONS).append(" operations drawn by TraceGenerator, seed ").append(seed)
                .append('\n');
        out.append("heap ").append(HEAP).append('\n');
        int[] live = new int[OPERATIONS];  // IDs of live blocks, unordered
        int liveCount = 0;
        int[] spare = new int[OPERATIONS]; // freed IDs to reuse
        int spareCount = 0;
        int nextId = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            double allocateChance = liveCount < TARGET_LIVE ? 0.55 : 0.45;
            if (liveCount == 0 || random.nextDouble() < allocateChance) {
                int id = spareCount > 0 ? spare[--spareCount] : nextId++;
                live[liveCount++] = id;
                out.append("a b").append(id).append(' ').append(random.nextInt(1, 513));
                if (random.nextInt(16) == 0) {
                    out.append(' ').append(8 << random.nextInt(4));
                }
            } else {
                int index = random.nextInt(liveCount);
                int id = live[index];
                live[index] = live[--liveCount];
                spare[spareCount++] = id;
                out.append("f b").append(id);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Parses the trace of a seed.
     *
     * @param seed the seed
     * @return the trace, named {@code generated-SEED.trace} in errors
     */
    public static Trace trace(long seed) {
        return Trace.parse("generated-" + seed + ".trace", text(seed));
    }
}
