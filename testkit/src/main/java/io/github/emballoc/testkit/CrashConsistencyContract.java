package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The crash-consistency contract of an {@link Allocator}: a crash between any two writes of an operation
 * leaves an image that attaches, loses no block that was live before the operation, and shows the operation
 * either done or not done. Rules {@code W1} to {@code W5}, one per kind of operation.
 *
 * <p>How it checks: the allocator under test runs over a {@link WriteRecordingHeap} (wrapping a heap from
 * {@link #newHeap(int)}), so every write of every operation is recorded. For each operation of the kind a rule
 * checks, in seeded random sequences of allocations (with alignments), frees (by interior offsets too, with
 * {@link AllocatorFeature#FREE_INSIDE_BLOCK}), reallocations (shrinking, growing in place, moving, failing),
 * {@code reallocate(NULL, n)} and {@code coalesce()}, every prefix of the operation's writes (none of them, the
 * first, the first two, ..., all of them) is applied to a copy of the image from before the operation, a new
 * allocator is attached to the copy with {@link #newAllocator(RawHeap)} and verified, and the copy must hold:
 * <ol>
 *   <li>a sound image: it attaches, {@code verify()} passes, and the walk's entries are ordered, disjoint and
 *       inside the heap (with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}, emballoc's image);</li>
 *   <li>every block that was live before the operation, still a used entry holding its bytes unchanged (the
 *       payload, from the handle, of the size it was allocated with); a block being reallocated keeps its first
 *       {@code min(old, new)} bytes, and a block being freed (or moved away from) may be gone once the operation
 *       happened;</li>
 *   <li>the operation either happened or did not: the used entries are those before it or those after it.
 *       The one documented exception: a moving reallocation may also leave both blocks live (the new one
 *       allocated, the old one not yet freed);</li>
 *   <li>with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}, all entries (free ones too) as before or as after
 *       the operation, in that order (one header write makes it happen; a moving reallocation may show the one
 *       state between its allocation and its free), and {@code coalesce()} with each run of free entries
 *       merged or not, as the write order in {@link io.github.emballoc.api.image} states.</li>
 * </ol>
 * Besides, the recorded writes must give exactly the heap after the operation (an allocator that writes around
 * {@link RawHeap}'s methods cannot be checked), and an operation that returns {@link Allocator#NULL} must write
 * nothing.
 *
 * <p>Implement {@link #newAllocator(RawHeap)}: it builds the allocator under test over a heap that is either
 * zeroed (it initialises it) or holds an image (it attaches to it, or throws if the image is not sound). Run one
 * adapter per configuration that changes the write order (both {@link io.github.emballoc.api.Coalescing} modes,
 * for example):
 * <pre>{@code
 * class MyAllocatorCrashTest implements CrashConsistencyContract {
 *     @Override
 *     public Allocator newAllocator(RawHeap heap) {
 *         return MyAllocator.builder(heap).coalescing(Coalescing.BOTH).build();
 *     }
 *
 *     @Override
 *     public Set<AllocatorFeature> features() {
 *         return EnumSet.of(AllocatorFeature.FREE_INSIDE_BLOCK, AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
 *     }
 * }
 * }</pre>
 *
 * <p>A failure names the rule, the sequence's seed, the operation, how many of its writes the crash left, the
 * writes (headers decoded with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}) and the entries before and
 * after. {@code -D}{@value #SEED_PROPERTY}{@code =SEED} runs the one sequence of that seed;
 * {@code -D}{@value #OPERATIONS_PROPERTY}{@code =N} makes every sequence {@code N} operations long (for a
 * longer run than the default's).
 */
public interface CrashConsistencyContract {

    /** The system property that makes every rule run only the sequence of the given seed (a {@code long}). */
    String SEED_PROPERTY = "emballoc.testkit.crash-seed";

    /** The system property that sets the number of operations of each random sequence (an {@code int}). */
    String OPERATIONS_PROPERTY = "emballoc.testkit.crash-operations";

    /**
     * Builds the allocator under test over {@code heap}: a zeroed heap is initialised, a heap that holds an
     * image is attached to as it is. Called once per random sequence over a {@link WriteRecordingHeap}, and once
     * per prefix of every checked operation over a copy of an image.
     *
     * @param heap the heap to manage
     * @return a new allocator
     */
    Allocator newAllocator(RawHeap heap);

    /**
     * Makes a new zeroed heap: the heap the allocator under test runs over (inside a
     * {@link WriteRecordingHeap}), and the heap the images of the prefixes are copied into. The default is
     * {@link RawHeaps#allocate(int)}.
     *
     * @param capacity the size in bytes, a multiple of 4 from 64 to 4096
     * @return a new zeroed heap, independent of every other
     * @throws Exception if the heap cannot be made (the test fails with it)
     */
    default RawHeap newHeap(int capacity) throws Exception {
        return RawHeaps.allocate(capacity);
    }

    /**
     * Declares optional behaviour: {@link AllocatorFeature#FREE_INSIDE_BLOCK} adds frees by interior offsets,
     * {@link AllocatorFeature#ZERO_SIZE_FREEABLE} zero-size requests, and
     * {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT} the checks of emballoc's image and of the one-write steps;
     * other features do not matter here. The default declares none.
     *
     * @return the features, never {@code null}
     */
    default Set<AllocatorFeature> features() {
        return EnumSet.noneOf(AllocatorFeature.class);
    }

    /**
     * Returns the seed of the first random sequence; the others are derived from it.
     *
     * @return the base seed
     */
    default long crashSeed() {
        return 0xC4A5_4C0A_51D3L;
    }

    /**
     * Returns how many random sequences each rule runs (on heaps of 256 bytes to 4 KiB).
     *
     * @return the number of sequences, 1 or more
     */
    default int crashSequences() {
        return 3;
    }

    /**
     * Returns how many operations each random sequence draws, unless {@value #OPERATIONS_PROPERTY} says
     * otherwise.
     *
     * @return the number of operations
     */
    default int crashOperations() {
        return 500;
    }

    private Set<AllocatorFeature> crashFeatures() {
        Set<AllocatorFeature> features = features();
        return features == null ? EnumSet.noneOf(AllocatorFeature.class) : features;
    }

    private void runSequences(CrashWorkload.Focus focus) throws Exception {
        Set<AllocatorFeature> features = crashFeatures();
        String operations = System.getProperty(OPERATIONS_PROPERTY);
        int length = operations != null && !operations.isBlank() ? Integer.parseInt(operations.trim())
                : crashOperations();
        String seed = System.getProperty(SEED_PROPERTY);
        if (seed != null && !seed.isBlank()) {
            CrashWorkload.run(this, features, focus, Long.parseLong(seed.trim()), length);
            return;
        }
        int checked = 0;
        for (int i = 0; i < crashSequences(); i++) {
            checked += CrashWorkload.run(this, features, focus, crashSeed() + i * 0x9E3779B97F4A7C15L, length);
        }
        assertTrue(checked > 0, focus.rule + ": the random sequences made no " + focus.what + " to check");
    }

    /**
     * Verifies rule W1: every prefix of the writes of an allocation ({@code allocate}, and
     * {@code reallocate(NULL, n)}) leaves a sound image that keeps every live block, with the allocation made or
     * not. It starts with the case of a 64-byte heap: {@code p = allocate(40)}, {@code p} filled with
     * {@code 0xFF}, {@code free(p)}, {@code allocate(8)}. If this fails, check the order of allocate's writes:
     * the remainder's free header first (inside the chosen entry's payload, where no walk sees it), then the
     * chosen entry's used header (written first, it makes the walk run into stale payload bytes).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("W1: a crash inside allocate leaves a sound image, every live block, and the allocation made or not")
    default void w1_allocateIsCrashConsistent() throws Exception {
        Set<AllocatorFeature> features = crashFeatures();
        CrashWorkload.Session session = new CrashWorkload.Session(this, features, CrashWorkload.Focus.ALLOCATE, 64,
                "the case of a 64-byte heap", "this case is fixed; it runs first in W1");
        SplittableRandom random = new SplittableRandom(0x64L);
        CrashWorkload.Block block = session.allocate(40, 1, random, 0xFF);
        assertTrue(block != null, "allocate(40) on a fresh heap of 64 bytes");
        session.free(block, 0);
        session.allocate(8, 1, random, 0xFF);
        runSequences(CrashWorkload.Focus.ALLOCATE);
    }

    /**
     * Verifies rule W2: every prefix of the writes of a free (merging with a free entry after it, and with
     * {@link io.github.emballoc.api.Coalescing#BOTH} before it) leaves a sound image that keeps every other live
     * block, with the block freed or not. If this fails, check that a free becomes visible through one header
     * write: the freed entry's (merged forward), or the free entry's before it (merged backward), never both.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("W2: a crash inside free leaves a sound image, every other live block, and the block freed or not")
    default void w2_freeIsCrashConsistent() throws Exception {
        runSequences(CrashWorkload.Focus.FREE);
    }

    /**
     * Verifies rule W3: every prefix of the writes of a reallocation that stays in place (shrinking with a free
     * tail, merged with a free entry after it or not; growing into the free entry after it, with a remainder or
     * taking all of it) leaves a sound image in which the block keeps its first {@code min(old, new)} bytes and
     * every other block is intact, with the new size taken or not. If this fails, check the order: the tail's
     * (or remainder's) free header first, inside bytes no walk sees (the block's own payload past its new size,
     * or the free entry's payload), then the block's header.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("W3: a crash inside an in-place reallocate keeps the block and its bytes, done or not done")
    default void w3_reallocateInPlaceIsCrashConsistent() throws Exception {
        runSequences(CrashWorkload.Focus.REALLOCATE_IN_PLACE);
    }

    /**
     * Verifies rule W4: every prefix of the writes of a moving reallocation leaves a sound image in which the old
     * block stays live and unchanged until the new one holds its bytes; a crash may leave both blocks live (the
     * documented exception), never neither; a reallocation that returns {@link Allocator#NULL} writes nothing.
     * If this fails, check the order: allocate (by its own order), copy, and only then free the old block.
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("W4: a crash inside a moving reallocate never loses the block: old, both, or new")
    default void w4_movingReallocateIsCrashConsistent() throws Exception {
        runSequences(CrashWorkload.Focus.REALLOCATE_MOVING);
    }

    /**
     * Verifies rule W5: every prefix of the writes of {@code coalesce()} leaves a sound image with every live
     * block intact and, with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}, every run of neighbouring free
     * entries either merged or not. If this fails, check that each run is merged by one write of its first
     * entry's header (growing it entry by entry shows states that are neither).
     *
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @Test
    @DisplayName("W5: a crash inside coalesce leaves a sound image, every live block, and each run merged or not")
    default void w5_coalesceIsCrashConsistent() throws Exception {
        runSequences(CrashWorkload.Focus.COALESCE);
    }
}
