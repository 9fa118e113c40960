package io.github.emballoc.indexed;

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
import io.github.emballoc.api.jfr.HeapEvents;
import io.github.emballoc.api.image.HeaderAccess;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * emballoc's entry allocator, found through an index: the same decisions and the same bytes as the linear walk
 * ({@code FirstFitAllocator} of {@code emballoc-core-firstfit}) built the same way, for every sequence of
 * operations, in O(log n) per {@code allocate} and {@code free} instead of O(n).
 *
 * <h2>Building</h2>
 * {@link #create(RawHeap)} or {@link #builder(RawHeap)}. Building on a heap whose first four bytes are zero
 * initialises it (one free entry of {@code capacity - 4} bytes). Building on any other heap checks the image
 * and attaches to it as it is (an image written by {@code FirstFitAllocator}, by another
 * {@code IndexedAllocator} or by emballoc itself), building the index in the same checked walk, or throws
 * {@link HeapCorruptedException} naming the first bad header and leaves the bytes as they were. The heap's
 * capacity must be a multiple of 4 from 8 to 2,147,483,644, and the heap must be writable.
 *
 * <h2>Operations</h2>
 * Every operation follows the rules of the heap format and of the {@link io.github.emballoc.api.image image
 * package} to the byte, in the same write order, so that the heap holds a sound image after every single write.
 * <ul>
 *   <li>{@code allocate}: the first (or best) free entry that holds the request, found in O(log n);</li>
 *   <li>{@code free}, {@code usableSize}, {@code reallocate}: the entry holding the offset, its neighbours, and
 *       the merge, found in O(log n);</li>
 *   <li>{@link #stats()}: from counters kept by every operation, no walk;</li>
 *   <li>{@link #coalesce()}, {@link #walk(EntryVisitor)}, {@link #verify()}: one walk of the image, O(n).</li>
 * </ul>
 * {@code allocate} and {@code free} neither allocate objects (once the index has grown to the heap's highest
 * number of entries), box, nor log; errors build their message only when thrown.
 *
 * <h2>The index is a cache of the image</h2>
 * The heap's bytes remain the only truth, and are all another allocator needs to attach; the index is built
 * from them when attaching and then kept up to date by this allocator's own writes. Bytes written into the heap
 * behind the allocator's back are <em>not seen</em> by it until {@link #verify()}, which checks the image and
 * that the index agrees with it entry by entry, and throws {@link HeapCorruptedException} naming the first
 * offset where they disagree. Until then, an operation that reads a header the index disagrees with throws
 * {@link HeapCorruptedException} before writing anything; one that reads none works from the index. No
 * operation loops forever, writes outside the heap, or throws anything but the documented exceptions, whatever
 * was written behind its back.
 *
 * <h2>Memory</h2>
 * Java heap bytes of the index (64-bit JVM, compressed references), measured by {@code IndexMemoryTest}:
 * <ul>
 *   <li>per heap byte, both fits: 1/16 (two bits per 4 bytes: where headers are, which entries are free) and
 *       1/2048 for the summary levels. First fit adds 1/64 (the largest free size per 256 bytes) and about 1/960
 *       for its tree: 0.0797 bytes per heap byte measured (80 KiB per MiB). Best fit adds 24 bytes per size
 *       with a bin ({@code capacity / 256} sizes, at least 64, at most 4096, so at most 96 KiB): 0.0631 bytes per
 *       heap byte measured at 1 GiB, 0.069 at 16 MiB, 0.158 at 1 MiB, 0.165 at 64 KiB;</li>
 *   <li>per entry: first fit nothing; best fit nothing per used entry and at most 24 bytes per free entry at
 *       the highest number of free entries the heap has had (an offset in an arena with its slack and stale
 *       copies, or a node of 16 bytes for a free entry of 16 KiB or more): 18.9 measured with 83,245 free
 *       entries. The arrays grow only when that number reaches a new high.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every public operation runs inside the allocator's {@link CriticalSection}; the allocator is as thread-safe
 * as that section ({@code cas}: any number of threads; {@code single-core}: the one thread that first uses it).
 * Building happens on the building thread without entering the section; the allocator is safely published
 * through its final fields.
 */
public final class IndexedAllocator implements Allocator {

    /*
     * Design notes.
     *
     * The image is the state that matters; the index is derived from it and kept in step with every write this
     * allocator makes. The index:
     *
     *   EntryBitmap  two bits per granule (4 bytes): a header starts here; that entry is free. A BitTree over
     *                its non-empty words (one bit per word, and summary levels above) answers "the last header
     *                at or before granule g" in O(log64 granules): the entry that holds an offset p is the last
     *                header at or before p - 4 (the exact case p = header + 4 is found in the first word), and
     *                with Coalescing.BOTH the entry before E is the last header before E.
     *   FreeIndex    the free entries by the allocator's fit: FirstFitIndex (the largest free size per 256
     *                bytes under a 16-ary max tree: the lowest-offset range holding an entry that fits, then
     *                that range's free entries in order) or BestFitIndex (a bin per size below min(16 KiB, a
     *                64th of the heap), found through two bit scans, each a min-heap of offsets in one shared
     *                arena (OffsetHeaps); a short bin drops a removed copy at once, a long one leaves it stale
     *                to be dropped lazily; larger sizes in a treap keyed by size << 32 | offset). Their
     *                invariants are stated in their classes.
     *   counters     used and free entries and bytes, so stats() needs no walk.
     *
     * Invariants between operations: bitmap header bits = the visited entries of the image (the never-visited
     * 4-byte entry at capacity - 4 is not one); free bits = those that are free; the FreeIndex holds exactly
     * the free entries of non-zero size with their sizes; the counters add up the image; the bitmap's `end`
     * says whether the image ends with that never-visited entry. Sizes are not stored: an entry's size is the
     * distance from its header bit to the next one (EntryBitmap.sizeAt), found in the bitmap, which is 1/16 of
     * the heap and stays in cache where the heap does not. The image is read (through HeaderAccess, one
     * monomorphic call site) only at headers the operation is about to write or that hold the offset it was
     * given, and each such word must equal what the bitmap says (state and size), else HeapCorruptedException
     * before the first write. So a header changed behind the allocator's back stops an operation that meets
     * it, or is not read at all; offsets written are always derived from the bitmap, whose entries lie inside
     * the heap, so no write leaves it.
     *
     * Why O(log n): allocate is one FreeIndex.find (a descent of the max tree, or two bit scans and a heap
     * top), at most two header writes, and updates of the bitmap (O(1), summaries O(log64) on a word turning
     * empty or non-empty) and of the FreeIndex (a leaf-to-root path of the tree; a heap push or pop, stale
     * copies and compactions amortised over the operations that made them). free is a predecessor search, a
     * read of the entry's header (and with BOTH of the previous one, which it writes), its next neighbour's
     * state and size from the bitmap, one header write, and the same kind of updates. usableSize and
     * reallocate are the same searches. No operation but coalesce, walk and verify visits entries it does not
     * touch (IndexedAllocatorTest counts the header reads). locate reads the header it guesses (p - 4) before
     * searching the bitmap, so that on a large heap the two cache misses overlap.
     *
     * Write order (the image package's, and FirstFitAllocator's, write for write): every operation first reads
     * and checks all it needs (arguments, the entry, its neighbours), then writes the heap in the order the image
     * package prescribes, then updates the index. After each single write the heap holds a sound image:
     *   - allocate: the remainder's free header (inside the chosen free entry's payload, which no walk reads),
     *     then the chosen entry's used header, which is the moment the allocation happens;
     *   - free: one header: the freed entry's (merged with a free next), or with BOTH the free previous entry's;
     *   - reallocate in place: the tail's or remainder's header (inside bytes no walk reads), then the block's;
     *     moving: allocate's writes, the copy, free's one write;
     *   - coalesce: one header per run, after the whole image and the index have been checked.
     * The index update after the writes brings the bitmap to its final state before any FreeIndex addition,
     * and makes every FreeIndex removal before any addition: FirstFitIndex recomputes a range from the bitmap
     * as it is at each call (a later call corrects an earlier one), and BestFitIndex judges the liveness of
     * heap copies (when an addition compacts a heap) by the bitmap, which must then be final. Attaching adds a
     * free entry to the FreeIndex only once the entry after it is in the bitmap, for the same reason.
     *
     * Sizes in 64 bits, as in FirstFitAllocator: a request larger than capacity - 4 returns NULL before any
     * search, so no int arithmetic below it overflows.
     */

    private static final Logger LOG = LoggerFactory.getLogger(IndexedAllocator.class);

    private static final int NOT_FOUND = -1;

    private final RawHeap heap;
    private final HeaderAccess access;
    private final int capacity;
    private final int limit;
    private final boolean mergeBackward;
    private final Fit fit;
    private final Coalescing coalescing;
    private final CriticalSection section;
    private final EntryBitmap bitmap;
    private final FreeIndex index;

    private int usedEntries;
    private int freeEntries;
    private int usedBytes;
    private int freeBytes;

    /** The header word {@link #locate(int)} last read. */
    private int locatedWord;

    private long allocations;
    private long failedAllocations;
    private long frees;
    private long reallocations;

    private IndexedAllocator(RawHeap heap, Fit fit, Coalescing coalescing, CriticalSection section) {
        this.heap = heap;
        this.access = HeaderAccess.of(heap);
        this.capacity = heap.capacity();
        this.limit = capacity - HEADER_LENGTH;
        this.fit = fit;
        this.coalescing = coalescing;
        this.mergeBackward = coalescing == Coalescing.BOTH;
        this.section = section;
        this.bitmap = new EntryBitmap(capacity);
        this.index = fit == Fit.BEST ? new BestFitIndex(bitmap, access, capacity)
                : new FirstFitIndex(bitmap, access, capacity);
        IndexBuilder builder = new IndexBuilder();
        boolean initialised = HeapImage.attach(heap, builder);
        bitmap.end((int) builder.end);
        builder.flush();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}: {} used and {} free entries, {} bytes used, {} bytes free; fit {}, coalescing {},"
                            + " critical section {}, index of {} bytes", initialised ? "initialised" : "attached to",
                    heap, usedEntries, freeEntries, usedBytes, freeBytes, fit, coalescing,
                    section.getClass().getName(), indexBytes());
        }
    }

    /**
     * Adds the entries of the attach walk to the index: each to the bitmap as it is visited, and a free one to
     * the fit index once the entry after it is in the bitmap too (the fit index sizes entries from the bitmap).
     */
    private final class IndexBuilder implements EntryVisitor {
        long end;
        int pendingOffset = NOT_FOUND;
        int pendingSize;

        @Override
        public void visit(int offset, boolean used, int size) {
            bitmap.addEntry(offset >>> 2, !used);
            flush();
            if (used) {
                usedEntries++;
                usedBytes += size;
            } else {
                freeEntries++;
                freeBytes += size;
                pendingOffset = offset;
                pendingSize = size;
            }
            end = HeaderDescriptor.nextOffset(offset, size);
        }

        void flush() {
            if (pendingOffset != NOT_FOUND) {
                index.added(pendingOffset, pendingSize);
                pendingOffset = NOT_FOUND;
            }
        }
    }

    /**
     * Builds an indexed allocator with first fit and forward coalescing over {@code heap}, guarded by a section
     * from the chosen {@link io.github.emballoc.api.CriticalSectionProvider} ({@link CriticalSections#create()}).
     *
     * @param heap the heap: zeroed in its first four bytes (it is initialised) or holding an image (it is
     *     checked and attached to)
     * @return the allocator
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644, or the
     *     heap is read-only
     * @throws HeapCorruptedException if the heap holds an image that breaks the format; the bytes are untouched
     * @throws IllegalStateException if no critical section provider can be chosen
     */
    public static IndexedAllocator create(RawHeap heap) {
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
     * Configures an {@link IndexedAllocator}. Not thread-safe: use it from one thread.
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
         * checks and attaches to the image it holds, building the index in the same walk.
         *
         * @return the allocator
         * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644, or
         *     the heap is read-only
         * @throws HeapCorruptedException if the heap holds an image that breaks the format; the bytes are
         *     untouched
         * @throws IllegalStateException if no section was given and no provider can be chosen
         */
        public IndexedAllocator build() {
            HeaderDescriptor.checkCapacity(heap.capacity());
            CriticalSection chosen = section != null ? section : CriticalSections.create();
            return new IndexedAllocator(heap, fit, coalescing, chosen);
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
     * <p>Chooses exactly the entry the linear walk chooses, through the index. Allocates no objects.
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
     * <p>The figures of the exception are taken inside the same critical section as the failed attempt, from
     * the index (no walk).
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
            failedAllocations++;
            HeapEvents.allocationFailed(heap, size, alignment);
            throw new HeapExhaustedException(size, alignment, index.largest(), freeBytes);
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
        int offset = index.find(need);
        if (offset == NOT_FOUND) {
            return NULL;
        }
        int old = index.foundSize;
        int rest = old - need;
        int remainder = offset + HEADER_LENGTH + need;
        if (rest >= HEADER_LENGTH) {
            // first the remainder, inside the chosen entry's payload: no walk sees it yet
            access.putWord(remainder, HeaderDescriptor.word(rest - HEADER_LENGTH, false));
        }
        access.putWord(offset, HeaderDescriptor.word(need, true));
        bitmap.clearFree(offset >>> 2);
        boolean split = rest >= HEADER_LENGTH && remainder < limit;
        if (split) {
            bitmap.addEntry(remainder >>> 2, true);
        } else if (rest >= HEADER_LENGTH) {
            bitmap.end(limit); // exactly 4 bytes left at the very end: the never-visited entry
        }
        index.removed(offset, old);
        usedEntries++;
        usedBytes += need;
        freeEntries--;
        freeBytes -= old;
        if (split) {
            index.added(remainder, rest - HEADER_LENGTH);
            freeEntries++;
            freeBytes += rest - HEADER_LENGTH;
        }
        return HeaderDescriptor.alignPayload(offset + HEADER_LENGTH, alignment);
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
        checkHandle(handle, null);
        section.enter();
        try {
            int offset = usedEntry(handle, null);
            release(offset, HeaderDescriptor.size(locatedWord));
            frees++;
        } finally {
            section.exit();
        }
    }

    /** Refuses, as not found, a handle that cannot lie in any payload (operation {@code null}: free's words). */
    private void checkHandle(int handle, String operation) {
        if (handle < HEADER_LENGTH || handle >= capacity) {
            throw operation == null ? new InvalidFreeException(handle, capacity)
                    : new InvalidFreeException(operation, handle, capacity);
        }
    }

    /**
     * Finds the used entry whose payload holds {@code handle}, inside the section, its header word in
     * {@link #locatedWord}; or refuses as free refuses (operation {@code null}: free's own words).
     */
    private int usedEntry(int handle, String operation) {
        int offset = locate(handle);
        if (offset == NOT_FOUND) {
            throw operation == null ? new InvalidFreeException(handle, capacity)
                    : new InvalidFreeException(operation, handle, capacity);
        }
        if (!HeaderDescriptor.isUsed(locatedWord)) {
            int size = HeaderDescriptor.size(locatedWord);
            throw operation == null ? new DoubleFreeException(handle, offset, size)
                    : new DoubleFreeException(operation, handle, offset, size);
        }
        return offset;
    }

    /**
     * Finds the visited entry whose payload holds {@code handle} (from 4 to capacity - 1) through the bitmap,
     * reads its header, which must agree with the bitmap (state and size), and keeps the word in
     * {@link #locatedWord}.
     *
     * @return the entry's header offset, or NOT_FOUND when the handle lies in a header or in the never-visited
     *     last 4 bytes
     */
    private int locate(int handle) {
        int guess = (handle - HEADER_LENGTH) & -HeaderDescriptor.GRANULE;
        // read first, as if the handle were a payload offset (the usual case), so that the heap's cache miss
        // overlaps the bitmap's instead of following it; a multiple of 4 inside the heap, ignored unless the
        // bitmap finds the header there
        int guessed = access.getWord(guess);
        int g = bitmap.predecessor(guess >>> 2);
        if (g < 0) {
            return NOT_FOUND; // cannot happen while the entry at 0 is in the bitmap
        }
        int offset = g << 2;
        int size = bitmap.sizeAt(g);
        boolean free = bitmap.isFree(g);
        int word = offset == guess ? guessed : access.getWord(offset);
        if (word != HeaderDescriptor.word(size, !free)) {
            throw disagreement(offset, word, size, free);
        }
        if (handle - (offset + HEADER_LENGTH) >= size) {
            return NOT_FOUND; // past the payload: in the next header, or in the never-visited last 4 bytes
        }
        locatedWord = word;
        return offset;
    }

    private static HeapCorruptedException disagreement(int offset, int word, int size, boolean free) {
        return HeapImage.corrupt(offset, word, "the index holds a " + (free ? "free" : "used") + " entry of " + size
                + " bytes here but the header differs (the image was changed behind the allocator's back)");
    }

    /**
     * The size of the visited entry at {@code next} (where an entry ends) when it exists and is free, else -1:
     * from the bitmap, without reading its header.
     */
    private int freeSizeAt(int next) {
        if (next >= limit) {
            return -1;
        }
        int g = next >>> 2;
        return bitmap.isFree(g) ? bitmap.sizeAt(g) : -1;
    }

    /** Forgets a free entry that a neighbour absorbed (its header stays in the bytes, inside a payload). */
    private void absorbed(int offset, int size) {
        bitmap.removeEntry(offset >>> 2);
        index.removed(offset, size);
        freeEntries--;
        freeBytes -= size;
    }

    /**
     * Frees the used entry at {@code offset} by the free rule of this allocator's coalescing: reads and checks
     * the neighbours, then one header write, then the index.
     */
    private void release(int offset, int size) {
        int next = offset + HEADER_LENGTH + size;
        int nextSize = freeSizeAt(next);
        int merged = nextSize >= 0 ? size + HEADER_LENGTH + nextSize : size;
        int previous = NOT_FOUND;
        int previousSize = 0;
        if (mergeBackward && offset > 0) {
            int p = bitmap.predecessor((offset >>> 2) - 1);
            if (p >= 0 && bitmap.isFree(p)) {
                previous = p << 2;
                previousSize = offset - previous - HEADER_LENGTH;
                int word = access.getWord(previous); // the header about to be written
                if (word != HeaderDescriptor.word(previousSize, false)) {
                    throw disagreement(previous, word, previousSize, true);
                }
            }
        }
        if (previous != NOT_FOUND) {
            access.putWord(previous, HeaderDescriptor.word(previousSize + HEADER_LENGTH + merged, false));
            bitmap.removeEntry(offset >>> 2);
        } else {
            access.putWord(offset, HeaderDescriptor.word(merged, false));
            bitmap.setFree(offset >>> 2);
        }
        usedEntries--;
        usedBytes -= size;
        if (nextSize >= 0) {
            absorbed(next, nextSize);
        }
        if (previous != NOT_FOUND) {
            index.resized(previous, previousSize, previousSize + HEADER_LENGTH + merged);
            freeBytes += HEADER_LENGTH + merged;
        } else {
            index.added(offset, merged);
            freeEntries++;
            freeBytes += merged;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cost: the search for the entry, O(log n).
     */
    @Override
    public int usableSize(int handle) {
        checkHandle(handle, "usableSize");
        section.enter();
        try {
            int offset = usedEntry(handle, "usableSize");
            return offset + HEADER_LENGTH + HeaderDescriptor.size(locatedWord) - handle;
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cost: O(log n) in place; a moving reallocation adds an allocation and the copy.
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        HeaderDescriptor.checkRequest(newSize, alignment);
        if (handle == NULL) {
            return allocate(newSize, alignment);
        }
        checkHandle(handle, "reallocate");
        section.enter();
        try {
            int offset = usedEntry(handle, "reallocate");
            int size = HeaderDescriptor.size(locatedWord);
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
            release(offset, size); // its neighbours are read again: the allocation may have split one
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
                int nextSize = freeSizeAt(next);
                int tailSize = rest - HEADER_LENGTH;
                if (nextSize >= 0) {
                    tailSize += HEADER_LENGTH + nextSize;
                }
                int split = payload + need;
                access.putWord(split, HeaderDescriptor.word(tailSize, false));
                access.putWord(offset, HeaderDescriptor.word(need, true));
                usedBytes -= rest;
                if (nextSize >= 0) {
                    absorbed(next, nextSize);
                }
                addRemainder(split, tailSize);
            }
            return true;
        }
        int nextSize = freeSizeAt(next);
        if (nextSize < 0 || (long) size + HEADER_LENGTH + nextSize < need) {
            return false;
        }
        int total = size + HEADER_LENGTH + nextSize;
        if (total - need >= HEADER_LENGTH) {
            int split = payload + need;
            access.putWord(split, HeaderDescriptor.word(total - need - HEADER_LENGTH, false));
            access.putWord(offset, HeaderDescriptor.word(need, true));
            usedBytes += need - size;
            absorbed(next, nextSize);
            addRemainder(split, total - need - HEADER_LENGTH);
        } else {
            access.putWord(offset, HeaderDescriptor.word(total, true));
            usedBytes += total - size;
            absorbed(next, nextSize);
        }
        return true;
    }

    /** Indexes a free entry just written at {@code offset}, or notes the never-visited entry at the end. */
    private void addRemainder(int offset, int size) {
        if (offset < limit) {
            bitmap.addEntry(offset >>> 2, true);
            index.added(offset, size);
            freeEntries++;
            freeBytes += size;
        } else {
            bitmap.end(limit);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the whole image first, and that the index's entries agree with it, so a corrupt image (or one
     * changed behind the allocator's back) is refused before anything is written; then one walk, one header
     * write per run, and the index updated for each run. O(n).
     */
    @Override
    public int coalesce() {
        section.enter();
        try {
            verifyInside(false);
            int merges = 0;
            int runStart = NOT_FOUND;
            int runStartSize = 0;
            int absorbedInRun = 0;
            int offset = 0;
            while (offset < limit) {
                int word = access.getWord(offset);
                int size = HeaderDescriptor.size(word);
                if (!HeaderDescriptor.isUsed(word)) {
                    if (runStart == NOT_FOUND) {
                        runStart = offset;
                        runStartSize = size;
                    } else {
                        absorbedInRun++;
                    }
                } else {
                    merges += closeRun(runStart, runStartSize, absorbedInRun, offset);
                    runStart = NOT_FOUND;
                    absorbedInRun = 0;
                }
                offset += HEADER_LENGTH + size;
            }
            return merges + closeRun(runStart, runStartSize, absorbedInRun, offset);
        } finally {
            section.exit();
        }
    }

    /**
     * Writes the merged header of a run of free entries ending where {@code end} is, if it absorbed any, then
     * forgets the absorbed entries (their headers are still in the bytes, inside the run's payload) and resizes
     * the first.
     */
    private int closeRun(int runStart, int runStartSize, int absorbedInRun, int end) {
        if (absorbedInRun == 0) {
            return 0;
        }
        int mergedSize = end - runStart - HEADER_LENGTH;
        access.putWord(runStart, HeaderDescriptor.word(mergedSize, false));
        int offset = runStart + HEADER_LENGTH + runStartSize;
        while (offset < end) {
            int size = HeaderDescriptor.size(access.getWord(offset));
            absorbed(offset, size);
            offset += HEADER_LENGTH + size;
        }
        freeBytes += mergedSize - runStartSize;
        index.resized(runStart, runStartSize, mergedSize);
        return absorbedInRun;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Taken from counters kept by every operation and from the index: no walk. A header changed behind the
     * allocator's back is not seen here (see {@link #verify()}).
     */
    @Override
    public HeapStats stats() {
        section.enter();
        try {
            return new HeapStats(capacity, usedEntries, freeEntries, usedBytes, freeBytes, index.largest());
        } finally {
            section.exit();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Walks the image itself (checking every header), not the index.
     */
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
     * <p>Checks the image (every visited header's size is a multiple of 4 and its payload ends at or before the
     * capacity, so the walk ends exactly at the capacity or 4 bytes before it) and that the index agrees with it:
     * the same entries at the same offsets, used or free alike, the same sizes, the same free entries in the fit
     * index and the same counts. One walk, O(n); the exception names the offset of the first entry where the
     * image breaks a rule or the index disagrees with it (an image changed behind the allocator's back).
     */
    @Override
    public void verify() {
        section.enter();
        try {
            verifyInside(true);
        } finally {
            section.exit();
        }
    }

    /**
     * Walks the image, comparing every entry with the bitmap, and the counts; with {@code fitIndex}, also the
     * free entries with the fit index (O(capacity / 256) for first fit, so coalesce leaves it out).
     */
    private void verifyInside(boolean fitIndex) {
        Agreement agreement = new Agreement();
        int end = HeapImage.walk(access, capacity, agreement);
        int extra = bitmap.successor(agreement.cursor);
        if (extra >= 0) {
            throw new HeapCorruptedException(extra << 2, "the index holds an entry here past the image's last"
                    + " entry (the image was changed behind the allocator's back)");
        }
        if (end != bitmap.end()) {
            throw new HeapCorruptedException(agreement.last, "the image's last entry ends at " + end
                    + ", the index's at " + bitmap.end());
        }
        if (fitIndex) {
            index.checkAgainst(agreement.freeOffsets, agreement.freeSizes, agreement.free);
        }
        if (agreement.usedEntries != usedEntries || agreement.usedBytes != usedBytes || agreement.free != freeEntries
                || agreement.freeBytes != freeBytes) {
            throw new HeapCorruptedException(0, "the index counts " + usedEntries + " used entries of " + usedBytes
                    + " bytes and " + freeEntries + " free entries of " + freeBytes + " bytes, the image "
                    + agreement.usedEntries + " of " + agreement.usedBytes + " and " + agreement.free + " of "
                    + agreement.freeBytes);
        }
    }

    /** Compares each entry of a checked walk with the bitmap as it is visited, and collects the free entries. */
    private final class Agreement implements EntryVisitor {
        int cursor;
        int last;
        int usedEntries;
        int usedBytes;
        int free;
        int freeBytes;
        int[] freeOffsets = new int[16];
        int[] freeSizes = new int[16];

        @Override
        public void visit(int offset, boolean used, int size) {
            int g = offset >>> 2;
            int indexed = bitmap.successor(cursor);
            if (indexed != g) {
                if (indexed >= 0 && indexed < g) {
                    throw new HeapCorruptedException(indexed << 2, "the index holds an entry here but the image's"
                            + " entries skip it (the image was changed behind the allocator's back)");
                }
                throw new HeapCorruptedException(offset, "the image holds an entry here that the index does not"
                        + " (the image was changed behind the allocator's back)");
            }
            if (bitmap.isFree(g) == used) {
                throw new HeapCorruptedException(offset, "the image holds a " + (used ? "used" : "free")
                        + " entry here, the index a " + (used ? "free" : "used") + " one (the image was changed"
                        + " behind the allocator's back)");
            }
            int following = bitmap.successor(g + 1);
            long end = HeaderDescriptor.nextOffset(offset, size);
            if (following >= 0 && (long) following << 2 != end) {
                throw new HeapCorruptedException(offset, "the image's entry here holds " + size + " bytes, the index's"
                        + " holds " + (((long) following << 2) - offset - HEADER_LENGTH) + " (the image was changed"
                        + " behind the allocator's back)");
            }
            cursor = g + 1;
            last = offset;
            if (used) {
                usedEntries++;
                usedBytes += size;
            } else {
                if (free == freeOffsets.length) {
                    freeOffsets = Arrays.copyOf(freeOffsets, free * 2);
                    freeSizes = Arrays.copyOf(freeSizes, free * 2);
                }
                freeOffsets[free] = offset;
                freeSizes[free] = size;
                free++;
                freeBytes += size;
            }
        }
    }

    /**
     * Checks the index's own invariants (the bitmap's summaries, the fit index's structure), independent of the
     * image. For tests, with {@link #verify()}, which compares the index with the image.
     *
     * @return a description of the first broken invariant, or {@code null} when all hold
     */
    String checkInvariants() {
        section.enter();
        try {
            String broken = bitmap.checkInvariants();
            return broken != null ? broken : index.checkInvariants();
        } finally {
            section.exit();
        }
    }

    /**
     * Returns the Java heap bytes of the index (its arrays), for the memory figures of the class description.
     *
     * @return the bytes, as a 64-bit JVM with compressed references lays the arrays out
     */
    long indexBytes() {
        return bitmap.bytes() + index.bytes();
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
        return "IndexedAllocator[" + fit + ", " + coalescing + ", " + heap + "]";
    }
}
