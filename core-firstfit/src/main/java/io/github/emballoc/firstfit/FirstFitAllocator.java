package io.github.emballoc.firstfit;

import static io.github.emballoc.firstfit.HeaderDescriptor.GRANULE;
import static io.github.emballoc.firstfit.HeaderDescriptor.HEADER_LENGTH;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * emballoc's entry allocator: 4-byte in-band headers ({@link HeaderDescriptor}), a linear walk, split on
 * allocate, merge-forward on free, exactly as the heap format describes, so that with {@link Fit#BEST} every
 * operation returns what emballoc 0.3.0 returns and leaves the same bytes.
 *
 * <h2>Building</h2>
 * {@link #create(RawHeap)} or {@link #builder(RawHeap)}. Building on a heap whose first four bytes are zero
 * initialises it (one free entry of {@code capacity - 4} bytes). Building on any other heap checks the image
 * and attaches to it as it is, or throws {@link HeapCorruptedException} naming the first bad header and
 * leaves the bytes as they were. The heap's capacity must be a multiple of 4 from 8 to 2,147,483,644.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>{@code allocate(size, align)}: a request of {@code size + align} when {@code align > 4}, else
 *       {@code size} (0 is served as 4), rounded up to a multiple of 4, taken from the first (or best) free
 *       entry that holds it; the rest of the entry, if 4 bytes or more, becomes a free entry after it. Returns
 *       the payload offset rounded up to {@code align}, or {@link #NULL}. Cost: one walk, O(entries).</li>
 *   <li>{@code free(p)}: frees the used block whose payload holds {@code p}, merging the next entry into it
 *       when that one is free (never the previous one: emballoc's documented behaviour). Cost: a walk up to
 *       the block.</li>
 * </ul>
 * Neither allocates objects, boxes, nor logs; errors build their message only when thrown.
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
     * operation, which emballoc pays too.
     *
     * Walk invariant. Entries are visited from offset 0 while `offset < capacity - 4` (written that way,
     * not `offset + 4 < capacity`, so that it cannot overflow for a capacity of 2^31 - 4). Each visited
     * header is validated as it is read (`entrySize`): its size is a multiple of 4 and its payload ends at
     * or before the capacity. So the walk advances by at least 4 bytes per entry, never leaves the heap and
     * always ends, at `capacity` or at `capacity - 4` (the never-visited zero-size entry that a split leaves
     * in the last 4 bytes). A header that breaks this stops the operation with HeapCorruptedException
     * before anything is written.
     *
     * Writes. allocate writes the chosen header and, when the split leaves 4 bytes or more, the header of
     * the remainder, which lies inside the chosen entry. free writes the freed header only; the merged
     * neighbour's header stays behind as payload bytes, as in emballoc. All checks (arguments, the walk up
     * to the chosen entry) happen before the first write, so a failing operation changes nothing.
     *
     * Sizes in 64 bits. `size + align` and the rounding are computed in longs: a request larger than
     * `capacity - 4` cannot fit in any entry and returns NULL without a walk, so no int arithmetic below it
     * can overflow (payload + align - 1 <= payload + n <= capacity).
     *
     * Initialisation is done at build time (api.md), where emballoc does it before its first operation; the
     * bytes written are the same.
     */

    private static final Logger LOG = LoggerFactory.getLogger(FirstFitAllocator.class);

    private static final int NOT_FOUND = -1;

    private final RawHeap heap;
    private final int capacity;
    private final boolean bestFit;
    private final Fit fit;
    private final CriticalSection section;

    private FirstFitAllocator(RawHeap heap, Fit fit, CriticalSection section) {
        this.heap = heap;
        this.capacity = heap.capacity();
        this.fit = fit;
        this.bestFit = fit == Fit.BEST;
        this.section = section;
        HeaderDescriptor.checkCapacity(capacity);
        if (heap.getInt(0) == 0) {
            heap.putInt(0, HeaderDescriptor.word(capacity - HEADER_LENGTH, false));
            if (LOG.isDebugEnabled()) {
                LOG.debug("initialised {}: one free entry of {} bytes; fit {}, critical section {}", heap,
                        capacity - HEADER_LENGTH, fit, section.getClass().getName());
            }
        } else {
            HeapStats.Accumulator counts = new HeapStats.Accumulator();
            walkChecked(counts);
            if (LOG.isDebugEnabled()) {
                HeapStats stats = counts.toStats(capacity);
                LOG.debug("attached to {}: {} used and {} free entries, {} bytes used, {} bytes free; fit {},"
                                + " critical section {}", heap, stats.usedEntries(), stats.freeEntries(),
                        stats.usedBytes(), stats.freeBytes(), fit, section.getClass().getName());
            }
        }
    }

    /**
     * Builds a first-fit allocator over {@code heap}, guarded by a section from the chosen
     * {@link io.github.emballoc.api.CriticalSectionProvider} ({@link CriticalSections#create()}).
     *
     * @param heap the heap: zeroed in its first four bytes (it is initialised) or holding an image (it is
     *     checked and attached to)
     * @return the allocator
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
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
     * @return a builder with {@link Fit#FIRST} and the chosen critical section
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
         * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
         * @throws HeapCorruptedException if the heap holds an image that breaks the format; the bytes are
         *     untouched
         * @throws IllegalStateException if no section was given and no provider can be chosen
         */
        public FirstFitAllocator build() {
            HeaderDescriptor.checkCapacity(heap.capacity());
            CriticalSection chosen = section != null ? section : CriticalSections.create();
            return new FirstFitAllocator(heap, fit, chosen);
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
     * {@inheritDoc}
     *
     * <p>Follows the heap format exactly; see the class description. Allocates no objects.
     */
    @Override
    public int allocate(int size, int alignment) {
        int need = blockSize(size, alignment);
        if (need == NOT_FOUND) {
            return NULL;
        }
        section.enter();
        try {
            return allocateInside(need, alignment);
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
                    return handle;
                }
            }
            HeapStats.Accumulator counts = new HeapStats.Accumulator();
            walkChecked(counts);
            HeapStats stats = counts.toStats(capacity);
            throw new HeapExhaustedException(size, alignment, stats.largestFree(), stats.freeBytes());
        } finally {
            section.exit();
        }
    }

    /**
     * The block size a request needs (request rounded up to 4), or NOT_FOUND if it exceeds the largest
     * entry this heap can hold. Throws for bad arguments.
     */
    private int blockSize(int size, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
        long request = alignment > GRANULE ? (long) size + alignment : size;
        if (request == 0) {
            request = GRANULE;
        }
        long rounded = (request + (GRANULE - 1)) & -GRANULE;
        return rounded > capacity - HEADER_LENGTH ? NOT_FOUND : (int) rounded;
    }

    private int allocateInside(int need, int alignment) {
        int offset = bestFit ? findBest(need) : findFirst(need);
        if (offset == NOT_FOUND) {
            return NULL;
        }
        int old = HeaderDescriptor.size(heap.getInt(offset));
        heap.putInt(offset, HeaderDescriptor.word(need, true));
        if (old - need >= HEADER_LENGTH) {
            heap.putInt(offset + HEADER_LENGTH + need, HeaderDescriptor.word(old - need - HEADER_LENGTH, false));
        }
        int payload = offset + HEADER_LENGTH;
        return alignment > GRANULE ? (payload + alignment - 1) & -alignment : payload;
    }

    private int findFirst(int need) {
        int limit = capacity - HEADER_LENGTH;
        int offset = 0;
        while (offset < limit) {
            int word = heap.getInt(offset);
            int size = entrySize(offset, word);
            if (!HeaderDescriptor.isUsed(word) && size >= need) {
                return offset;
            }
            offset += HEADER_LENGTH + size;
        }
        return NOT_FOUND;
    }

    private int findBest(int need) {
        int limit = capacity - HEADER_LENGTH;
        int best = NOT_FOUND;
        int bestSize = Integer.MAX_VALUE;
        int offset = 0;
        while (offset < limit) {
            int word = heap.getInt(offset);
            int size = entrySize(offset, word);
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
        if (handle < HEADER_LENGTH || handle >= capacity) {
            throw new InvalidFreeException(handle, capacity);
        }
        section.enter();
        try {
            freeInside(handle);
        } finally {
            section.exit();
        }
    }

    private void freeInside(int handle) {
        int limit = capacity - HEADER_LENGTH;
        int offset = 0;
        while (offset < limit) {
            int word = heap.getInt(offset);
            int size = entrySize(offset, word);
            int payload = offset + HEADER_LENGTH;
            if (handle < payload) {
                break; // the handle points into this entry's header
            }
            if (handle - payload < size) {
                if (!HeaderDescriptor.isUsed(word)) {
                    throw new DoubleFreeException(handle, offset, size);
                }
                int merged = size;
                int next = payload + size;
                if (next < limit) {
                    int nextWord = heap.getInt(next);
                    int nextSize = entrySize(next, nextWord);
                    if (!HeaderDescriptor.isUsed(nextWord)) {
                        merged = size + HEADER_LENGTH + nextSize;
                    }
                }
                heap.putInt(offset, HeaderDescriptor.word(merged, false));
                return;
            }
            offset = payload + size;
        }
        throw new InvalidFreeException(handle, capacity);
    }

    @Override
    public HeapStats stats() {
        HeapStats.Accumulator counts = new HeapStats.Accumulator();
        walk(counts);
        return counts.toStats(capacity);
    }

    @Override
    public void walk(EntryVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        section.enter();
        try {
            walkChecked(visitor);
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
            walkChecked(null);
        } finally {
            section.exit();
        }
    }

    /** Walks every entry, validating each header; visitor may be null. */
    private void walkChecked(EntryVisitor visitor) {
        int limit = capacity - HEADER_LENGTH;
        int offset = 0;
        while (offset < limit) {
            int word = heap.getInt(offset);
            int size = entrySize(offset, word);
            if (visitor != null) {
                visitor.visit(offset, HeaderDescriptor.isUsed(word), size);
            }
            offset += HEADER_LENGTH + size;
        }
    }

    /**
     * Decodes and validates the size of the header at {@code offset} (a multiple of 4 below
     * {@code capacity - 4}).
     */
    private int entrySize(int offset, int word) {
        int size = HeaderDescriptor.size(word);
        if ((size & (GRANULE - 1)) != 0) {
            throw corrupt(offset, word, "size " + size + " is not a multiple of " + GRANULE);
        }
        if (size > capacity - HEADER_LENGTH - offset) {
            throw corrupt(offset, word, (HeaderDescriptor.isUsed(word) ? "used" : "free") + " entry of " + size
                    + " bytes ends at " + ((long) offset + HEADER_LENGTH + size) + ", past the capacity " + capacity);
        }
        return size;
    }

    private static HeapCorruptedException corrupt(int offset, int word, String reason) {
        return new HeapCorruptedException(offset, reason + " (header word 0x" + String.format("%08x", word) + ")");
    }

    @Override
    public String toString() {
        return "FirstFitAllocator[" + fit + ", " + heap + "]";
    }
}
