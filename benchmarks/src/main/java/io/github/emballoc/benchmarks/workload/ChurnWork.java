package io.github.emballoc.benchmarks.workload;

import java.util.SplittableRandom;

/**
 * The pre-drawn work of a churn: the sizes of the {@code live} blocks allocated first, then for each operation
 * the slot whose block is freed (uniformly among the {@code live} slots) and the size of the block allocated
 * into it. Everything comes from one seeded generator before measuring, so every allocator does exactly the
 * same work and no random number is drawn on the measured path. The operations run in a cycle of
 * {@link #OPERATIONS} (an index masked by {@link #MASK}).
 *
 * <p>Immutable after construction (the arrays are shared, not copied: callers only read them); any thread.
 */
public final class ChurnWork {

    /** How many operations are drawn; a churn repeats them in a cycle. */
    public static final int OPERATIONS = 1 << 20;

    /** {@code OPERATIONS - 1}: the mask that wraps an operation index. */
    public static final int MASK = OPERATIONS - 1;

    /** The seed the benchmarks use (the contended benchmark adds the thread's index). */
    public static final long SEED = 0x5EED_10L;

    /** The smallest region any churn gets: room for Netty's size classes when few blocks are live. */
    public static final int MIN_REGION = 4 << 20;

    private final int live;
    private final int[] initialSizes;
    private final int[] sizes;
    private final int[] victims;

    private ChurnWork(int live, int[] initialSizes, int[] sizes, int[] victims) {
        this.live = live;
        this.initialSizes = initialSizes;
        this.sizes = sizes;
        this.victims = victims;
    }

    /**
     * Draws the work of a churn.
     *
     * @param live how many blocks are live at any time, 1 or more
     * @param distribution the request sizes
     * @param seed the generator's seed
     * @return the work
     * @throws IllegalArgumentException if {@code live} is not positive
     */
    public static ChurnWork draw(int live, SizeDistribution distribution, long seed) {
        if (live <= 0) {
            throw new IllegalArgumentException("live blocks " + live + " is not positive");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] initial = new int[live];
        for (int i = 0; i < live; i++) {
            initial[i] = distribution.draw(random);
        }
        int[] sizes = new int[OPERATIONS];
        int[] victims = new int[OPERATIONS];
        for (int i = 0; i < OPERATIONS; i++) {
            victims[i] = random.nextInt(live);
            sizes[i] = distribution.draw(random);
        }
        return new ChurnWork(live, initial, sizes, victims);
    }

    /**
     * The region every allocator gets for a churn: twice what the live blocks request plus 16 bytes of
     * overhead each, rounded up to a power of two (Netty's chunks and offheap-store's pages are powers of two),
     * and at least {@link #MIN_REGION}. That is between 2 and 4 times the live bytes plus overhead, and at
     * least 4 MiB.
     *
     * @param live how many blocks are live
     * @param distribution the request sizes
     * @return the region's size in bytes
     * @throws IllegalArgumentException if the region would exceed 1 GiB
     */
    public static int regionFor(int live, SizeDistribution distribution) {
        double wanted = 2.0 * live * (distribution.mean() + 16.0);
        if (wanted > 1 << 30) {
            throw new IllegalArgumentException(live + " live blocks need more than a 1 GiB region");
        }
        int region = MIN_REGION;
        while (region < wanted) {
            region <<= 1;
        }
        return region;
    }

    /**
     * Returns how many blocks are live.
     *
     * @return the live blocks
     */
    public int live() {
        return live;
    }

    /**
     * Returns the sizes of the blocks allocated first, one per slot.
     *
     * @return {@link #live()} sizes (shared; do not change)
     */
    public int[] initialSizes() {
        return initialSizes;
    }

    /**
     * Returns the size allocated by each operation.
     *
     * @return {@link #OPERATIONS} sizes (shared; do not change)
     */
    public int[] sizes() {
        return sizes;
    }

    /**
     * Returns the slot each operation frees and allocates again.
     *
     * @return {@link #OPERATIONS} slots from 0 to {@code live - 1} (shared; do not change)
     */
    public int[] victims() {
        return victims;
    }
}
