package io.github.emballoc.benchmarks.workload;

import io.github.emballoc.benchmarks.subject.Sharing;
import io.github.emballoc.benchmarks.subject.Subject;
import io.github.emballoc.benchmarks.subject.Subjects;

/**
 * Runs a {@link ChurnWork} against a {@link Subject}, one operation per {@link #step()}: free the victim's
 * block, allocate a new one into its slot. Slots are {@code base} to {@code base + live - 1}, so that several
 * churners (one per thread) can share a subject.
 *
 * <p>Threads: one churner per thread.
 */
public final class Churner implements AutoCloseable {

    private final Subject subject;
    private final int[] sizes;
    private final int[] victims;
    private final int base;
    private int cursor;

    /**
     * Prepares a churn; nothing is allocated.
     *
     * @param subject the allocator under test
     * @param work the pre-drawn work
     * @param base the first of this churner's slots
     */
    public Churner(Subject subject, ChurnWork work, int base) {
        this.subject = subject;
        this.sizes = work.sizes();
        this.victims = work.victims();
        this.base = base;
    }

    /**
     * Starts the single-threaded churn the benchmarks share: draws the work with {@link ChurnWork#SEED}, makes
     * the subject over a region of {@link ChurnWork#regionFor} bytes, and allocates the initial blocks.
     *
     * @param allocator the allocator's name ({@link Subjects})
     * @param heap the heap kind of this project's allocators
     * @param live how many blocks are live
     * @param sizes the size distribution's name ({@link SizeDistribution})
     * @return the churner, owning its subject
     * @throws IllegalArgumentException if a name is unknown
     * @throws IllegalStateException if the initial blocks do not fit
     */
    public static Churner start(String allocator, String heap, int live, String sizes) {
        return start(allocator, heap, live, sizes, ChurnWork.regionFor(live, SizeDistribution.named(sizes)));
    }

    /**
     * Starts the single-threaded churn as {@link #start(String, String, int, String)} does, over a region of a
     * given size instead of {@link ChurnWork#regionFor}'s.
     *
     * @param allocator the allocator's name ({@link Subjects})
     * @param heap the heap kind of this project's allocators
     * @param live how many blocks are live
     * @param sizes the size distribution's name ({@link SizeDistribution})
     * @param region the region's size in bytes (a power of two serves every allocator)
     * @return the churner, owning its subject
     * @throws IllegalArgumentException if a name is unknown or an allocator cannot take that region
     * @throws IllegalStateException if the initial blocks do not fit
     */
    public static Churner start(String allocator, String heap, int live, String sizes, int region) {
        ChurnWork work = ChurnWork.draw(live, SizeDistribution.named(sizes), ChurnWork.SEED);
        return start(Subjects.create(allocator, heap, region, live, Sharing.CONFINED), work);
    }

    /**
     * Starts a single-threaded churn of {@code work} on {@code subject}: allocates the initial blocks into slots
     * 0 to {@code live - 1}.
     *
     * @param subject the allocator under test, with nothing allocated
     * @param work the work
     * @return the churner, owning the subject
     * @throws IllegalStateException if the initial blocks do not fit (the subject is closed then)
     */
    public static Churner start(Subject subject, ChurnWork work) {
        Churner churner = new Churner(subject, work, 0);
        try {
            churner.fill(work);
        } catch (RuntimeException e) {
            subject.close();
            throw e;
        }
        return churner;
    }

    /**
     * Allocates the work's initial blocks into this churner's slots on a subject no other thread uses, through
     * {@link Subject#fill} when the churner's slots start at 0 (which may be faster than one call per block).
     *
     * @param work the work this churner was made with
     * @throws IllegalStateException if any of them fails: the region is too small for the workload
     */
    public void fill(ChurnWork work) {
        int[] initial = work.initialSizes();
        check(work, base == 0 ? subject.fill(initial, initial.length) : allocateEach(initial));
    }

    /**
     * Allocates the work's initial blocks into this churner's slots one {@link Subject#allocate} at a time, as
     * a thread does while others use the same subject.
     *
     * @param work the work this churner was made with
     * @throws IllegalStateException if any of them fails: the region is too small for the workload
     */
    public void fillShared(ChurnWork work) {
        check(work, allocateEach(work.initialSizes()));
    }

    private int allocateEach(int[] initial) {
        int failed = 0;
        for (int i = 0; i < initial.length; i++) {
            if (!subject.allocate(base + i, initial[i])) {
                failed++;
            }
        }
        return failed;
    }

    private void check(ChurnWork work, int failed) {
        if (failed > 0) {
            throw new IllegalStateException(subject + " failed " + failed + " of the " + work.live()
                    + " initial allocations: the region of " + subject.regionBytes()
                    + " bytes is too small for this workload");
        }
    }

    /**
     * Runs the next operation: frees the victim's block (if its last allocation succeeded) and allocates the
     * next size into its slot.
     *
     * @return whether the allocation succeeded
     */
    public boolean step() {
        int i = cursor;
        cursor = (i + 1) & ChurnWork.MASK;
        int slot = base + victims[i];
        subject.free(slot);
        return subject.allocate(slot, sizes[i]);
    }

    /** Closes the subject (its region). */
    @Override
    public void close() {
        subject.close();
    }
}
