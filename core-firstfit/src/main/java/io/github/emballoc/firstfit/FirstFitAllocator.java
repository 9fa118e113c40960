package io.github.emballoc.firstfit;

import static io.github.emballoc.api.image.HeaderDescriptor.HEADER_LENGTH;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.OperationCounts;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.image.HeaderAccess;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import io.github.emballoc.api.jfr.HeapEvents;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * emballoc's entry allocator: 4-byte in-band headers ({@link HeaderDescriptor}), a linear walk, split on
 * allocate, merge-forward on free, exactly as the heap format describes, so that with {@link Fit#BEST} and
 * {@link Coalescing#FORWARD} every operation returns what emballoc 0.3.0 returns and leaves the same bytes.
 *
 * <h2>Building</h2>
 * {@link #create(RawHeap)} or {@link #builder(RawHeap)}. Building on a heap whose first four bytes are zero
 * initialises it (one free entry of {@code capacity - 4} bytes). Building on any other heap checks the image
 * and attaches to it as it is, or throws {@link HeapCorruptedException} naming the first bad header and
 * leaves the bytes as they were. The heap's capacity must be a multiple of 4 from 8 to 2,147,483,644, and the
 * heap must be writable.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>{@code allocate(size, align)}: a request of {@code size + align} when {@code align > 4}, else
 *       {@code size} (0 is served as 4), rounded up to a multiple of 4, taken from the first (or best) free
 *       entry that holds it; the rest of the entry, if 4 bytes or more, becomes a free entry after it. Returns
 *       the payload offset rounded up to {@code align}, or {@link #NULL}. Cost: one walk, O(entries).</li>
 *   <li>{@code free(p)}: frees the used block whose payload holds {@code p}, merging the next entry into it
 *       when that one is free, and with {@link Coalescing#BOTH} merging it into the previous entry when that
 *       one is free. Cost: a walk up to the block.</li>
 *   <li>{@code usableSize}, {@code reallocate} and {@code coalesce} follow the rules of the
 *       {@link io.github.emballoc.api.image image package}, as every allocator of this project does.</li>
 * </ul>
 * {@code allocate} and {@code free} neither allocate objects, box, nor log; errors build their message only
 * when thrown. Every operation orders its writes so that the heap holds a sound image after each one (see the
 * image package): a crash between two writes loses at most the operation in flight.
 *
 * <h2>Threads</h2>
 * Every public operation runs inside the allocator's {@link CriticalSection}; the allocator is as
 * thread-safe as that section ({@code cas}: any number of threads; {@code single-core}: the one thread that
 * first uses it). Building happens on the building thread without entering the section; the allocator is
 * safely published through its final fields. The heap's bytes are shared with whoever else holds the
 * {@link RawHeap}: writing a header behind the allocator's back is detected at the next walk that meets it
 * ({@link HeapCorruptedException}), never looped on or clipped.
 */
public final class FirstFitAllocator implements Allocator {

    /*
     * Design notes.
     *
     * The heap image is the only state: no free list, no side table, so an image written here is one
     * emballoc accepts and any image emballoc writes can be attached to. The price is a linear walk per
     * operation, which emballoc pays too. (IndexedAllocator makes the same decisions through an index.)
     *
     * Walk invariant. Entries are visited from offset 0 while `offset < capacity - 4` (written that way,
     * not `offset + 4 < capacity`, so that it cannot overflow for a capacity of 2^31 - 4). Each visited
     * header is validated as it is read (HeapImage.checkedSize): its size is a multiple of 4 and its payload
     * ends at or before the capacity. So the walk advances by at least 4 bytes per entry, never leaves the
     * heap and always ends, at `capacity` or at `capacity - 4` (the never-visited zero-size entry that a split
     * leaves in the last 4 bytes). A header that breaks this stops the operation with HeapCorruptedException
     * before anything is written. Header offsets reached this way are proved, so they are read and written
     * through HeaderAccess without further bounds checks of our own.
     *
     * What the heap holds after each single write (the image package states it for every operation):
     * - allocate writes the remainder's free header first, at `chosen + 4 + need`, inside the chosen free
     *   entry's payload where no walk sees it, and then the chosen header (used, need), which is the moment
     *   the allocation happens. (The order emballoc uses, chosen header first, leaves between the two writes
     *   an image whose walk runs into stale payload bytes: refused as corrupt, or worse, read as entries.)
     * - free writes one header: the freed entry's (merged forward), or with BOTH the previous free entry's.
     * - coalesce writes one header per run, after checking the whole image first.
     * - reallocate in place writes the tail header inside bytes no walk sees, then the block's header; a
     *   moving reallocate is allocate, copy, free, each with its own order.
     * All checks (arguments, the walk up to the chosen entry and its neighbour) happen before the first
     * write, so a failing operation changes nothing.
     *
     * Sizes in 64 bits. `size + align` and the rounding are computed in longs: a request larger than
     * `capacity - 4` cannot fit in any entry and returns NULL without a walk, so no int arithmetic below it
     * can overflow (payload + align - 1 <= payload + n <= capacity).
     *
     * State besides the image: the counts, and `previous`, the visited entry before the one the last
     * locate() found; all are touched only inside the critical section.
     *
     * Initialisation is done at build time (api.md), where emballoc does it before its first operation; the
     * bytes written are the same.
     */

    private static final Logger LOG = LoggerFactory.getLogger(FirstFitAllocator.class);

    private static final int NOT_FOUND = -1;

    private final RawHeap heap;
    private final HeaderAccess access;
    private final int capacity;
    private final int limit;
    private final boolean bestFit;
    private final boolean mergeBackward;
    private final Fit fit;
    private final Coalescing coalescing;
    private final CriticalSection section;

    /** The visited entry before the one {@link #locate(int)} last found, or NOT_FOUND. */
    private int previous = NOT_FOUND;

    private long allocations;
    private long failedAllocations;
    private long frees;
    private long reallocations;

    private FirstFitAllocator(RawHeap heap, Fit fit, Coalescing coalescing, CriticalSection section) {
        this.heap = heap;
        this.access = HeaderAccess.of(heap);
        this.capacity = heap.capacity();
        this.limit = capacity - HEADER_LENGTH;
        this.fit = fit;
        this.coalescing = coalescing;
        this.bestFit = fit == Fit.BEST;
        this.mergeBackward = coalescing == Coalescing.BOTH;
        this.section = section;
        HeapStats.Accumulator counts = LOG.isDebugEnabled() ? new HeapStats.Accumulator() : null;
        boolean initialised = HeapImage.attach(heap, counts);
        if (counts != null) {
            HeapStats stats = counts.toStats(capacity);
            LOG.debug("{} {}: {} used and {} free entries, {} bytes used, {} bytes free; fit {}, coalescing {},"
                            + " critical section {}", initialised ? "initialised" : "attached to", heap,
                    stats.usedEntries(), stats.freeEntries(), stats.usedBytes(), stats.freeBytes(), fit, coalescing,
                    section.getClass().getName());
        }
    }

    /**
     * Builds a first-fit allocator with forward coalescing over {@code heap}, guarded by a section from the
     * chosen {@link io.github.emballoc.api.CriticalSectionProvider} ({@link CriticalSections#create()}).
     *
     * @param heap the heap: zeroed in its first four bytes (it is initialised) or holding an image (it is
     *     checked and attached to)
     * @return the allocator
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644, or the
     *     heap is read-only
     * @throws HeapCorruptedException if the heap holds an image that breaks the format; the bytes are untouched
     * @throws IllegalStateException if no critical section provider can be chosen
     */
    public static FirstFitAllocator create(RawHeap heap) {
        return builder(heap).build();
    }

    /**
     * Starts building an allocator over {@code heap}; nothing is read or written until
     * {@link Builder#build()}.
     *
     * @param heap the heap
     * @return a builder with {@link Fit#FIRST}, {@link Coalescing#FORWARD} and the chosen critical section
     * @throws NullPointerException if {@code heap} is {@code null}
     */
    public static Builder builder(RawHeap heap) {
        return new Builder(heap);
    }

    /**
     * Configures a {@link FirstFitAllocator}. Not thread-safe: use it from one thread.
     */
    public static final class Builder {
        private final RawHeap heap;
        private Fit fit = Fit.FIRST;
        private Coalescing coalescing = Coalescing.FORWARD;
        private CriticalSection section;

        private Builder(RawHeap heap) {
            this.heap = Objects.requireNonNull(heap, "heap");
        }

        /**
         * Chooses which free entry an allocation takes.
         *
         * @param fit {@link Fit#FIRST} (the default) or {@link Fit#BEST} (emballoc's)
         * @return this builder
         * @throws NullPointerException if {@code fit} is {@code null}
         */
        public Builder fit(Fit fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /**
         * Chooses which free neighbours a free merges with.
         *
         * @param coalescing {@link Coalescing#FORWARD} (the default, emballoc's) or {@link Coalescing#BOTH}
         * @return this builder
         * @throws NullPointerException if {@code coalescing} is {@code null}
         */
        public Builder coalescing(Coalescing coalescing) {
            this.coalescing = Objects.requireNonNull(coalescing, "coalescing");
            return this;
        }

        /**
         * Guards the allocator with {@code section} instead of one from {@link CriticalSections#create()}.
         * The section must not be shared with code that may hold it while calling the allocator.
         *
         * @param section the section
         * @return this builder
         * @throws NullPointerException if {@code section} is {@code null}
         */
        public Builder criticalSection(CriticalSection section) {
            this.section = Objects.requireNonNull(section, "section");
            return this;
        }

        /**
         * Builds the allocator: checks the capacity, then initialises a heap whose first word is zero, or
         * checks and attaches to the image it holds.
         *
         * @return the allocator
         * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644, or
         *     the heap is read-only
         * @throws HeapCorruptedException if the heap holds an image that breaks the format; the bytes are
         *     untouched
         * @throws IllegalStateException if no section was given and no provider can be chosen
         */
        public FirstFitAllocator build() {
            HeaderDescriptor.checkCapacity(heap.capacity());
            CriticalSection chosen = section != null ? section : CriticalSections.create();
            return new FirstFitAllocator(heap, fit, coalescing, chosen);
        }
    }

    @Override
    public RawHeap heap() {
        return heap;
    }

    /**
     * Returns the fit this allocator was built with.
     *
     * @return the fit
     */
    public Fit fit() {
        return fit;
    }

    /**
     * Returns the coalescing this allocator was built with.
     *
     * @return the coalescing
     */
    public Coalescing coalescing() {
        return coalescing;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows the heap format exactly; see the class description. Allocates no objects.
     */
    @Override
    public int allocate(int size, int alignment) {
        int need = blockSize(size, alignment);
        section.enter();
        try {
            int handle = need == NOT_FOUND ? NULL : allocateInside(need, alignment);
            if (handle == NULL) {
                failedAllocations++;
                HeapEvents.allocationFailed(heap, size, alignment);
            } else {
                allocations++;
            }
            return handle;
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The figures of the exception are taken inside the same critical section as the failed attempt.
     */
    @Override
    public int allocateOrThrow(int size, int alignment) {
        int need = blockSize(size, alignment);
        section.enter();
        try {
            if (need != NOT_FOUND) {
                int handle = allocateInside(need, alignment);
                if (handle != NULL) {
                    allocations++;
                    return handle;
                }
            }
            HeapStats stats = statsInside();
            failedAllocations++;
            HeapEvents.allocationFailed(heap, size, alignment);
            throw new HeapExhaustedException(size, alignment, stats.largestFree(), stats.freeBytes());
        } finally {
            section.exit();
        }
    }

    /**
     * The entry payload a request needs (the request rule), or NOT_FOUND if it exceeds the largest entry this
     * heap can hold. Throws for bad arguments.
     */
    private int blockSize(int size, int alignment) {
        HeaderDescriptor.checkRequest(size, alignment);
        long rounded = HeaderDescriptor.blockSize(size, alignment);
        return rounded > limit ? NOT_FOUND : (int) rounded;
    }

    private int allocateInside(int need, int alignment) {
        int offset = bestFit ? findBest(need) : findFirst(need);
        if (offset == NOT_FOUND) {
            return NULL;
        }
        int old = HeaderDescriptor.size(access.getWord(offset));
        if (old - need >= HEADER_LENGTH) {
            // first the remainder, inside the chosen entry's payload: no walk sees it yet
            access.putWord(offset + HEADER_LENGTH + need, HeaderDescriptor.word(old - need - HEADER_LENGTH, false));
        }
        access.putWord(offset, HeaderDescriptor.word(need, true));
        return HeaderDescriptor.alignPayload(offset + HEADER_LENGTH, alignment);
    }

    private int findFirst(int need) {
        int offset = 0;
        while (offset < limit) {
            int word = access.getWord(offset);
            int size = HeapImage.checkedSize(capacity, offset, word);
            if (!HeaderDescriptor.isUsed(word) && size >= need) {
                return offset;
            }
            offset += HEADER_LENGTH + size;
        }
        return NOT_FOUND;
    }

    private int findBest(int need) {
        int best = NOT_FOUND;
        int bestSize = Integer.MAX_VALUE;
        int offset = 0;
        while (offset < limit) {
            int word = access.getWord(offset);
            int size = HeapImage.checkedSize(capacity, offset, word);
            if (!HeaderDescriptor.isUsed(word) && size >= need && size < bestSize) {
                best = offset;
                bestSize = size;
                if (size == need) {
                    break;
                }
            }
            offset += HEADER_LENGTH + size;
        }
        return best;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Any offset inside a used block's payload frees it. Allocates no objects unless it throws.
     */
    @Override
    public void free(int handle) {
        if (handle == NULL) {
            return;
        }
        if (handle < HEADER_LENGTH || handle >= capacity) {
            throw new InvalidFreeException(handle, capacity);
        }
        section.enter();
        try {
            int offset = locate(handle);
            if (offset == NOT_FOUND) {
                throw new InvalidFreeException(handle, capacity);
            }
            int word = access.getWord(offset);
            int size = HeaderDescriptor.size(word);
            if (!HeaderDescriptor.isUsed(word)) {
                throw new DoubleFreeException(handle, offset, size);
            }
            release(offset, size);
            frees++;
        } finally {
            section.exit();
        }
    }

    /**
     * Finds the visited entry whose payload holds {@code handle}, checking every header on the way, and
     * records the visited entry before it in {@link #previous}.
     *
     * @return the entry's header offset, or NOT_FOUND when the handle lies in a header or past every entry
     */
    private int locate(int handle) {
        int offset = 0;
        int before = NOT_FOUND;
        while (offset < limit) {
            int word = access.getWord(offset);
            int size = HeapImage.checkedSize(capacity, offset, word);
            int payload = offset + HEADER_LENGTH;
            if (handle < payload) {
                break; // the handle points into this entry's header
            }
            if (handle - payload < size) {
                previous = before;
                return offset;
            }
            before = offset;
            offset = payload + size;
        }
        return NOT_FOUND;
    }

    /**
     * Frees the used entry at {@code offset} (its previous entry in {@link #previous}) by the free rule of this
     * allocator's coalescing: one header write.
     */
    private void release(int offset, int size) {
        int merged = size;
        int next = offset + HEADER_LENGTH + size;
        if (next < limit) {
            int nextWord = access.getWord(next);
            int nextSize = HeapImage.checkedSize(capacity, next, nextWord);
            if (!HeaderDescriptor.isUsed(nextWord)) {
                merged = size + HEADER_LENGTH + nextSize;
            }
        }
        if (mergeBackward && previous != NOT_FOUND) {
            int previousWord = access.getWord(previous);
            if (!HeaderDescriptor.isUsed(previousWord)) {
                access.putWord(previous,
                        HeaderDescriptor.word(HeaderDescriptor.size(previousWord) + HEADER_LENGTH + merged, false));
                return;
            }
        }
        access.putWord(offset, HeaderDescriptor.word(merged, false));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cost: a walk up to the block.
     */
    @Override
    public int usableSize(int handle) {
        if (handle < HEADER_LENGTH || handle >= capacity) {
            throw new InvalidFreeException("usableSize", handle, capacity);
        }
        section.enter();
        try {
            int offset = locate(handle);
            if (offset == NOT_FOUND) {
                throw new InvalidFreeException("usableSize", handle, capacity);
            }
            int word = access.getWord(offset);
            int size = HeaderDescriptor.size(word);
            if (!HeaderDescriptor.isUsed(word)) {
                throw new DoubleFreeException("usableSize", handle, offset, size);
            }
            return offset + HEADER_LENGTH + size - handle;
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cost: a walk up to the block when it stays in place; a moving reallocation adds an allocation's walk.
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        HeaderDescriptor.checkRequest(newSize, alignment);
        if (handle == NULL) {
            return allocate(newSize, alignment);
        }
        if (handle < HEADER_LENGTH || handle >= capacity) {
            throw new InvalidFreeException("reallocate", handle, capacity);
        }
        section.enter();
        try {
            int offset = locate(handle);
            if (offset == NOT_FOUND) {
                throw new InvalidFreeException("reallocate", handle, capacity);
            }
            int word = access.getWord(offset);
            int size = HeaderDescriptor.size(word);
            if (!HeaderDescriptor.isUsed(word)) {
                throw new DoubleFreeException("reallocate", handle, offset, size);
            }
            int payload = offset + HEADER_LENGTH;
            if ((handle & (alignment - 1)) == 0 && resizeInPlace(offset, size, handle - payload, newSize)) {
                reallocations++;
                return handle;
            }
            long block = HeaderDescriptor.blockSize(newSize, alignment);
            int moved = block > limit ? NULL : allocateInside((int) block, alignment);
            if (moved == NULL) {
                failedAllocations++;
                HeapEvents.allocationFailed(heap, newSize, alignment);
                return NULL;
            }
            heap.copy(handle, moved, (int) Math.min(newSize, (long) payload + size - handle));
            release(locate(handle), size); // located again: the allocation may have split its previous entry
            reallocations++;
            return moved;
        } finally {
            section.exit();
        }
    }

    /**
     * Shrinks, keeps or grows the used entry at {@code offset} so that {@code newSize} bytes fit from
     * {@code shift} bytes into its payload, without moving it.
     *
     * @return whether it could
     */
    private boolean resizeInPlace(int offset, int size, int shift, int newSize) {
        long span = HeaderDescriptor.spanSize(shift, newSize);
        if (span > limit) {
            return false;
        }
        int need = (int) span;
        int payload = offset + HEADER_LENGTH;
        int next = payload + size;
        if (need <= size) {
            int rest = size - need;
            if (rest >= HEADER_LENGTH) {
                int tailSize = rest - HEADER_LENGTH;
                if (next < limit) {
                    int nextWord = access.getWord(next);
                    int nextSize = HeapImage.checkedSize(capacity, next, nextWord);
                    if (!HeaderDescriptor.isUsed(nextWord)) {
                        tailSize += HEADER_LENGTH + nextSize;
                    }
                }
                access.putWord(payload + need, HeaderDescriptor.word(tailSize, false));
                access.putWord(offset, HeaderDescriptor.word(need, true));
            }
            return true;
        }
        if (next >= limit) {
            return false;
        }
        int nextWord = access.getWord(next);
        int nextSize = HeapImage.checkedSize(capacity, next, nextWord);
        if (HeaderDescriptor.isUsed(nextWord) || (long) size + HEADER_LENGTH + nextSize < need) {
            return false;
        }
        int total = size + HEADER_LENGTH + nextSize;
        if (total - need >= HEADER_LENGTH) {
            access.putWord(payload + need, HeaderDescriptor.word(total - need - HEADER_LENGTH, false));
            access.putWord(offset, HeaderDescriptor.word(need, true));
        } else {
            access.putWord(offset, HeaderDescriptor.word(total, true));
        }
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the whole image first, so a corrupt image is refused before anything is written; then one
     * walk, one header write per run.
     */
    @Override
    public int coalesce() {
        section.enter();
        try {
            HeapImage.walk(access, capacity, null);
            int merges = 0;
            int runStart = NOT_FOUND;
            int absorbed = 0;
            int offset = 0;
            while (offset < limit) {
                int word = access.getWord(offset);
                int size = HeaderDescriptor.size(word);
                if (!HeaderDescriptor.isUsed(word)) {
                    if (runStart == NOT_FOUND) {
                        runStart = offset;
                    } else {
                        absorbed++;
                    }
                } else {
                    merges += closeRun(runStart, absorbed, offset);
                    runStart = NOT_FOUND;
                    absorbed = 0;
                }
                offset += HEADER_LENGTH + size;
            }
            return merges + closeRun(runStart, absorbed, offset);
        } finally {
            section.exit();
        }
    }

    /** Writes the merged header of a run of free entries ending where {@code end} is, if it absorbed any. */
    private int closeRun(int runStart, int absorbed, int end) {
        if (absorbed > 0) {
            access.putWord(runStart, HeaderDescriptor.word(end - runStart - HEADER_LENGTH, false));
        }
        return absorbed;
    }

    @Override
    public HeapStats stats() {
        section.enter();
        try {
            return statsInside();
        } finally {
            section.exit();
        }
    }

    private HeapStats statsInside() {
        HeapStats.Accumulator counts = new HeapStats.Accumulator();
        HeapImage.walk(access, capacity, counts);
        return counts.toStats(capacity);
    }

    @Override
    public void walk(EntryVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        section.enter();
        try {
            HeapImage.walk(access, capacity, visitor);
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The checks: every visited header's size is a multiple of 4 and its payload ends at or before the
     * capacity, so the walk ends exactly at the capacity or 4 bytes before it. Two neighbouring free entries
     * are allowed (emballoc leaves them when a block before a free entry is freed).
     */
    @Override
    public void verify() {
        section.enter();
        try {
            HeapImage.walk(access, capacity, null);
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counted inside the critical section; the figures are consistent with each other.
     */
    @Override
    public OperationCounts counts() {
        section.enter();
        try {
            return new OperationCounts(allocations, failedAllocations, frees, reallocations);
        } finally {
            section.exit();
        }
    }

    @Override
    public String toString() {
        return "FirstFitAllocator[" + fit + ", " + coalescing + ", " + heap + "]";
    }
}
