package io.github.emballoc.benchmarks.report;

import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subject;
import io.github.emballoc.benchmarks.subject.Subjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Heap efficiency, the metric talc publishes: random allocations and frees on a fresh region until the first
 * allocation fails; the bytes the live blocks requested at that moment, divided by the region's size. Here:
 * a {@link #REGION}-byte region, requests of 1 to 512 bytes (uniform), each step an allocation with probability
 * 2/3 and otherwise the free of a live block chosen uniformly, for seeds 1 to {@link #SEEDS}; the table gives the
 * mean, the lowest and the highest. The same seed gives every allocator the same sequence of decisions until
 * its first failure. No timing is involved.
 *
 * <p>{@code java -cp benchmarks.jar io.github.emballoc.benchmarks.report.HeapEfficiency} prints the table.
 *
 * <p>Stateless; any thread.
 */
public final class HeapEfficiency {

    /** The region: 1 MiB. */
    public static final int REGION = 1 << 20;

    /** How many seeds are averaged. */
    public static final int SEEDS = 16;

    private HeapEfficiency() {
    }

    /**
     * One allocator's efficiencies.
     *
     * @param allocator the allocator's name
     * @param efficiencies one per seed, each live requested bytes at the first failure / region size
     */
    public record Result(String allocator, double[] efficiencies) {

        /**
         * Returns the mean over the seeds.
         *
         * @return the mean efficiency, from 0 to 1
         */
        public double mean() {
            double sum = 0;
            for (double e : efficiencies) {
                sum += e;
            }
            return sum / efficiencies.length;
        }

        /**
         * Returns the lowest.
         *
         * @return the lowest efficiency of any seed
         */
        public double min() {
            double min = Double.MAX_VALUE;
            for (double e : efficiencies) {
                min = Math.min(min, e);
            }
            return min;
        }

        /**
         * Returns the highest.
         *
         * @return the highest efficiency of any seed
         */
        public double max() {
            double max = 0;
            for (double e : efficiencies) {
                max = Math.max(max, e);
            }
            return max;
        }
    }

    /**
     * Runs one seed: random allocations and frees until the first failure.
     *
     * @param allocator the allocator's name ({@link Subjects}); this project's over a {@code byte[]} heap
     * @param seed the seed
     * @param region the region's size (a power of two)
     * @return live requested bytes at the first failure divided by the region's size
     */
    public static double run(String allocator, long seed, int region) {
        int slots = region / 4 + 1;
        SplittableRandom random = new SplittableRandom(seed);
        int[] requested = new int[slots];
        int[] live = new int[slots]; // the live slots, unordered
        int liveCount = 0;
        int[] spare = new int[slots];
        int spareCount = 0;
        int nextSlot = 0;
        long liveBytes = 0;
        try (Subject subject = Subjects.create(allocator, "array", region, slots, Sharing.CONFINED)) {
            while (true) {
                if (liveCount == 0 || random.nextInt(3) < 2) {
                    int size = random.nextInt(1, 513);
                    int slot = spareCount > 0 ? spare[--spareCount] : nextSlot++;
                    if (slot >= slots) {
                        throw new IllegalStateException(allocator + " held more than " + slots + " blocks in "
                                + region + " bytes");
                    }
                    if (!subject.allocate(slot, size)) {
                        return (double) liveBytes / subject.regionBytes();
                    }
                    requested[slot] = size;
                    live[liveCount++] = slot;
                    liveBytes += size;
                } else {
                    int index = random.nextInt(liveCount);
                    int slot = live[index];
                    live[index] = live[--liveCount];
                    subject.free(slot);
                    liveBytes -= requested[slot];
                    spare[spareCount++] = slot;
                }
            }
        }
    }

    /**
     * Runs every seed for every allocator of the table ({@link Footprint#allocators()}).
     *
     * @return one result per allocator
     */
    public static List<Result> measure() {
        List<Result> results = new ArrayList<>();
        for (String allocator : Footprint.allocators()) {
            double[] efficiencies = new double[SEEDS];
            for (int seed = 1; seed <= SEEDS; seed++) {
                efficiencies[seed - 1] = run(allocator, seed, REGION);
            }
            results.add(new Result(allocator, efficiencies));
        }
        return results;
    }

    /**
     * Formats results as a markdown table.
     *
     * @param results the results of {@link #measure()}
     * @return the table
     */
    public static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("Heap efficiency (").append(REGION >> 20).append(" MiB region, requests 1-512 bytes, 2/3 ")
                .append("allocations, ").append(SEEDS).append(" seeds; live requested bytes at the first failed ")
                .append("allocation / region):\n\n");
        out.append("| allocator | mean | lowest | highest |\n|---|---:|---:|---:|\n");
        for (Result result : results) {
            out.append("| ").append(Tables.label(result.allocator())).append(" | ")
                    .append(percent(result.mean())).append(" | ").append(percent(result.min())).append(" | ")
                    .append(percent(result.max())).append(" |\n");
        }
        return out.toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /**
     * Prints the heap-efficiency table.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.print(markdown(measure()));
    }
}
