package io.github.emballoc.jcstress;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The body of the allocator tests: two threads share one allocator on a fresh heap, and each allocates a
 * 16-byte block, reads what is in it, fills it with its own two marker words, reads them back, and frees it.
 * A test for an allocator is a subclass that builds that allocator and declares the two actors, the arbiter
 * and the outcomes ({@code FirstFitAllocatorChurn} shows the few lines it takes).
 *
 * <p>The heap ({@value #CAPACITY} bytes) holds both blocks at once, and a first-fit allocator gives the second
 * block the first one's place once it is free. The arbiter reports:
 * <ul>
 *   <li>r1: 1 if both threads got the same block (one after the other), 0 if different blocks;</li>
 *   <li>r2, r3: what actor 1 and actor 2 found in their block before writing: 0 zeros (a fresh block), 1 the
 *       other thread's two markers, whole (the block it freed, with the payload it wrote before the free),
 *       2 anything else;</li>
 *   <li>r4: 1 if both read their own markers back intact right before the free, 0 if not (another live block
 *       overlapped theirs).</li>
 * </ul>
 * So the correct outcomes are {@code 0, 0, 0, 1} (both blocks live at once, both fresh) and
 * {@code 1, 0, 1, 1} or {@code 1, 1, 0, 1} (the same block, the second user finding the first's payload
 * intact). Anything else is an overlap of live blocks, or a payload written before {@code free} that the
 * next owner of the block did not see.
 */
public abstract class AllocatorChurn {

    /** The heap's size: both blocks and their headers fit. */
    public static final int CAPACITY = 64;

    /** Each block's payload size. */
    public static final int SIZE = 16;

    private static final long MARK1_LOW = 0x1111_1111_1111_1111L;
    private static final long MARK1_HIGH = 0x1212_1212_1212_1212L;
    private static final long MARK2_LOW = 0x2121_2121_2121_2121L;
    private static final long MARK2_HIGH = 0x2222_2222_2222_2222L;

    private final Allocator allocator;
    private final RawHeap heap;
    // Written by one actor each, read by the arbiter (which jcstress runs after both actors).
    private int block1 = Allocator.NULL;
    private int block2 = Allocator.NULL;
    private int seen1;
    private int seen2;
    private boolean intact1;
    private boolean intact2;

    /**
     * Shares {@code allocator}, built on a fresh heap of {@value #CAPACITY} bytes, between the actors.
     *
     * @param allocator the allocator under test
     */
    protected AllocatorChurn(Allocator allocator) {
        this.allocator = allocator;
        this.heap = allocator.heap();
    }

    /** Actor 1's allocate, check, fill, check and free. */
    protected final void churn1() {
        int block = allocator.allocate(SIZE, 4);
        seen1 = seen(block, MARK2_LOW, MARK2_HIGH);
        intact1 = fillAndCheck(block, MARK1_LOW, MARK1_HIGH);
        allocator.free(block);
        block1 = block;
    }

    /** Actor 2's allocate, check, fill, check and free. */
    protected final void churn2() {
        int block = allocator.allocate(SIZE, 4);
        seen2 = seen(block, MARK1_LOW, MARK1_HIGH);
        intact2 = fillAndCheck(block, MARK2_LOW, MARK2_HIGH);
        allocator.free(block);
        block2 = block;
    }

    /** The arbiter's report (see the class comment). */
    protected final void report(IIII_Result r) {
        r.r1 = block1 == block2 ? 1 : 0;
        r.r2 = seen1;
        r.r3 = seen2;
        r.r4 = intact1 && intact2 ? 1 : 0;
    }

    private int seen(int block, long otherLow, long otherHigh) {
        long low = heap.getLong(block);
        long high = heap.getLong(block + 8);
        if (low == 0 && high == 0) {
            return 0;
        }
        return low == otherLow && high == otherHigh ? 1 : 2;
    }

    private boolean fillAndCheck(int block, long low, long high) {
        heap.putLong(block, low);
        heap.putLong(block + 8, high);
        return heap.getLong(block) == low && heap.getLong(block + 8) == high;
    }
}
