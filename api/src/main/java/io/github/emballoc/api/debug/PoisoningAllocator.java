package io.github.emballoc.api.debug;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.ForwardingAllocator;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Allocator} that catches writes after free and overruns, as umm_malloc's {@code UMM_POISON} does,
 * in the terms of emballoc's image: the image stays emballoc's, byte for byte in every header, and every
 * call returns what the allocator returns.
 *
 * <pre>{@code
 * PoisoningAllocator allocator = PoisoningAllocator.poison(FirstFitAllocator.create(heap));
 * int block = allocator.allocate(24);
 * allocator.free(block);
 * heap.putByte(block + 8, (byte) 1);    // a write after free
 * allocator.verify();                   // PoisonViolationException: write after free at offset ..., 8 bytes
 *                                       // into the block at ... (24 bytes), freed earlier; found by verify()
 * }</pre>
 *
 * <h2>Poison</h2>
 * When a block is freed, its bytes from its handle to the end of its entry's payload are filled with
 * {@link #FREE_PATTERN}; so is every free payload when the decorator is built, and the tail a shrinking
 * reallocation gives back. Those bytes are checked when their space is handed out again (by an allocation,
 * a reallocation that grows into them or moves there) and by {@link #verify()}: a byte that changed is
 * reported as {@link PoisonViolation.Kind#WRITE_AFTER_FREE} with its offset and the block freed there (its
 * handle and requested size).
 *
 * <p>The allocator itself writes headers into free space: the remainder of a split lands at
 * {@code handle + usableSize(handle)} of the new block, a shrinking reallocation's tail at the block's new end,
 * a growing one's remainder likewise. The decorator knows exactly which bytes it poisoned (a bit per 4-byte
 * granule; every handle, payload and header sits on a granule) and takes back the granule of each header the
 * allocator may write, so these writes are never reported. A moving reallocation copies the block into its
 * new space before the decorator sees it: the copied bytes are not checked, the rest of the new block is.
 * Bytes of alignment padding before an aligned handle stay poisoned while the block lives (nobody may write
 * them).
 *
 * <h2>Guards</h2>
 * With guards on (the default), the bytes from a block's requested size (at least 1) to the end of its
 * entry's payload, the rounding and over-allocation the image gives every block anyway, are filled with
 * {@link #GUARD_PATTERN} and checked when the block is freed or reallocated and by {@link #verify()}: a byte
 * that changed is reported as {@link PoisonViolation.Kind#OVERRUN}. {@link #usableSize(int)} then reports the
 * requested size (so {@link #view(int)} ends there too), as a debugging allocator's
 * {@code malloc_usable_size} does. A block whose requested size fills its entry has no guard bytes.
 *
 * <h2>Reporting</h2>
 * Every violation found is kept ({@link #violations()}, the first {@value #MAX_KEPT}). With
 * {@code failFast} (the default) the call that found it throws {@link PoisonViolationException} after it has
 * been carried out in full (an allocation's block is allocated; the exception carries its handle); without,
 * it is logged at error level through SLF4J and the call returns normally. {@link #verify()} always throws
 * for the first violation present, and {@link #check()} lists them all without throwing.
 *
 * <h2>Cost and limits</h2>
 * Each allocation asks the allocator for the block's usable size (one more walk for a linear allocator) and
 * checks and fills the block's bytes; each free fills them; a bit per 4 heap bytes and a record per live
 * block and per freed range are kept. Building fills every free payload. Blocks live when the decorator was
 * built have no guards until they are reallocated. Every call must go through the decorator: a block freed
 * behind its back is neither poisoned nor forgotten.
 *
 * <h2>Threads</h2>
 * Every call runs the allocator's operation and the decorator's checks and fills inside one lock, so the
 * decorator is as thread-safe as the allocator. Other threads writing a block's bytes while it is freed or
 * allocated are, by definition, the bugs it reports.
 */
public final class PoisoningAllocator extends ForwardingAllocator {

    /** The byte every poisoned (freed) payload byte holds: {@code 0xDD}, "dead". */
    public static final byte FREE_PATTERN = (byte) 0xDD;
    /** The byte every guard byte holds: {@code 0xFD}, "fence". */
    public static final byte GUARD_PATTERN = (byte) 0xFD;
    /** How many violations {@link #violations()} keeps. */
    public static final int MAX_KEPT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(PoisoningAllocator.class);
    private static final int GRANULE = HeaderDescriptor.GRANULE;
    /** Four {@link #FREE_PATTERN} bytes: the same in either byte order. */
    private static final int FREE_WORD = 0xDDDDDDDD;

    private final RawHeap heap;
    private final int capacity;
    private final boolean guards;
    private final boolean failFast;
    private final ReentrantLock lock = new ReentrantLock();
    /** One bit per granule: set when the granule holds {@link #FREE_WORD} and must go on holding it. */
    private final BitSet poisoned;
    /** Which block each poisoned byte range belonged to: non-overlapping ranges by start. */
    private final TreeMap<Integer, Freed> freed = new TreeMap<>();
    private final TrackedBlocks<Live> live = new TrackedBlocks<>();
    private final List<PoisonViolation> violations = new ArrayList<>();
    /** The call in progress, named in a violation only when one is found (no string per call). */
    private String operation;
    private final int[] arguments = new int[3];
    private int argumentCount;

    private PoisoningAllocator(Allocator allocator, boolean guards, boolean failFast) {
        super(allocator);
        this.heap = allocator.heap();
        this.capacity = heap.capacity();
        this.guards = guards;
        this.failFast = failFast;
        this.poisoned = new BitSet(capacity / GRANULE);
        List<int[]> free = new ArrayList<>();
        allocator.walk((offset, used, size) -> {
            if (!used && size > 0) {
                free.add(new int[] {HeaderDescriptor.payloadOffset(offset), size});
            }
        });
        for (int[] entry : free) {
            poison(entry[0], entry[0] + entry[1], Allocator.NULL, entry[1]);
        }
    }

    /**
     * Poisons {@code allocator} with guards on and fail-fast reporting.
     *
     * @param allocator the allocator; every call must then go through the decorator
     * @return the decorator, its free payloads already filled
     * @throws NullPointerException if {@code allocator} is {@code null}
     * @throws io.github.emballoc.api.HeapCorruptedException if the allocator's walk meets a bad header
     */
    public static PoisoningAllocator poison(Allocator allocator) {
        return builder(allocator).build();
    }

    /**
     * Starts configuring a poisoning decorator.
     *
     * @param allocator the allocator; every call must then go through the decorator
     * @return a builder with guards on and fail-fast reporting
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static Builder builder(Allocator allocator) {
        return new Builder(allocator);
    }

    /** Configures a {@link PoisoningAllocator}. Not thread-safe: use it from one thread. */
    public static final class Builder {
        private final Allocator allocator;
        private boolean guards = true;
        private boolean failFast = true;

        private Builder(Allocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
        }

        /**
         * Chooses whether to guard the bytes after each block's requested size.
         *
         * @param guards {@code true} (the default) to catch overruns
         * @return this builder
         */
        public Builder guards(boolean guards) {
            this.guards = guards;
            return this;
        }

        /**
         * Chooses how a call that finds a violation reports it.
         *
         * @param failFast {@code true} (the default) to throw {@link PoisonViolationException}, {@code false} to
         *     log it and return normally
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Builds the decorator and poisons every free payload of the heap (one walk, then fills).
         *
         * @return the decorator
         * @throws io.github.emballoc.api.HeapCorruptedException if the allocator's walk meets a bad header
         */
        public PoisoningAllocator build() {
            return new PoisoningAllocator(allocator, guards, failFast);
        }
    }

    /**
     * Returns the allocator being poisoned.
     *
     * @return the allocator given to the builder
     */
    public Allocator poisoned() {
        return delegate;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the poisoned bytes of the space handed out, then fills the block's guard bytes.
     *
     * @throws PoisonViolationException with fail-fast reporting, if a poisoned byte of the space changed; the
     *     block is allocated and the exception carries its handle
     */
    @Override
    public int allocate(int size, int alignment) {
        lock.lock();
        try {
            calling("allocate", size, alignment, 0, 2);
            int handle = delegate.allocate(size, alignment);
            if (handle == NULL) {
                return NULL;
            }
            PoisonViolation found = takeBlock(handle, handle, size, alignment);
            report(found, handle);
            return handle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the block's guard bytes, frees it, then poisons its bytes.
     *
     * @throws PoisonViolationException with fail-fast reporting, if a guard byte changed (the block is freed)
     */
    @Override
    public void free(int handle) {
        lock.lock();
        try {
            if (handle == NULL) {
                delegate.free(NULL);
                return;
            }
            calling("free", handle, 0, 0, 1);
            int block = live.holding(delegate, handle);
            int start;
            int end;
            int size;
            PoisonViolation found = null;
            if (block != NULL) {
                Live record = live.get(block);
                found = checkGuards(block, record);
                start = block;
                end = record.end;
                size = record.size;
            } else {
                end = endOf(handle, () -> delegate.free(handle));
                start = roundUp(handle);
                size = end - start;
            }
            delegate.free(handle);
            if (block != NULL) {
                live.remove(block);
            }
            poison(start, end, block != NULL ? block : start, size);
            report(found, NULL);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checks the block's guard bytes; after the reallocation, checks the poisoned bytes of the space it
     * grew into or moved to (not the bytes the move copied), poisons the space it gave back, and fills its
     * guard bytes.
     *
     * @throws PoisonViolationException with fail-fast reporting, if a guard byte or a poisoned byte changed;
     *     the reallocation has happened and the exception carries its result
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        lock.lock();
        try {
            calling("reallocate", handle, newSize, alignment, 3);
            if (handle == NULL) {
                int fresh = delegate.reallocate(NULL, newSize, alignment);
                if (fresh != NULL) {
                    report(takeBlock(fresh, fresh, newSize, alignment), fresh);
                }
                return fresh;
            }
            int block = live.holding(delegate, handle);
            Live record = block == NULL ? null : live.get(block);
            int oldEnd = record != null ? record.end
                    : endOf(handle, () -> delegate.reallocate(handle, newSize, alignment));
            PoisonViolation overrun = record != null ? checkGuards(block, record) : null;
            int moved = delegate.reallocate(handle, newSize, alignment);
            if (moved == NULL) {
                report(overrun, NULL);
                return NULL;
            }
            int newEnd = moved + delegate.usableSize(moved);
            PoisonViolation reused = null;
            if (moved == handle) {
                if (newEnd > oldEnd) {
                    reused = take(oldEnd, newEnd); // grew into the next free entry
                } else if (newEnd + GRANULE <= oldEnd) {
                    // the tail given back: a free header at newEnd, its payload after it
                    poison(newEnd + GRANULE, oldEnd, record != null ? block : roundUp(handle),
                            record != null ? record.size : oldEnd - roundUp(handle));
                }
            } else {
                long copied = Math.min(newSize, (long) oldEnd - handle);
                unpoison(moved, roundUp((int) (moved + copied)));
                reused = take(roundUp((int) (moved + copied)), newEnd);
                int start = record != null ? block : roundUp(handle);
                poison(start, oldEnd, start, record != null ? record.size : oldEnd - start);
            }
            if (record != null) {
                live.remove(block);
            }
            // in place, the padding before the handle stays what it was
            int padding = record != null && moved == handle ? Math.max(record.alignment, alignment) : alignment;
            track(moved, newSize, padding, newEnd);
            report(overrun != null ? overrun : reused, moved);
            if (overrun != null && reused != null) {
                report(reused, moved);
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With guards on, a tracked block's usable size ends where its guard bytes begin: at its requested size
     * (at least 1 byte) from its handle.
     */
    @Override
    public int usableSize(int handle) {
        lock.lock();
        try {
            int block = guards ? live.holding(delegate, handle) : NULL;
            if (block != NULL) {
                int guardStart = guardStart(block, live.get(block).size);
                if (handle < guardStart) {
                    return guardStart - handle;
                }
            }
            return delegate.usableSize(handle);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The allocator merges free entries by rewriting existing headers only, so nothing poisoned changes.
     */
    @Override
    public int coalesce() {
        lock.lock();
        try {
            return delegate.coalesce();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks the image ({@link Allocator#verify()} of the allocator), then every poisoned byte and every guard
     * byte.
     *
     * @throws io.github.emballoc.api.HeapCorruptedException if the image breaks the format
     * @throws PoisonViolationException for the violation at the lowest offset, if any poisoned or guard byte
     *     changed (whatever the reporting chosen)
     */
    @Override
    public void verify() {
        lock.lock();
        try {
            delegate.verify();
            calling("verify", 0, 0, 0, 0);
            List<PoisonViolation> found = scan();
            if (!found.isEmpty()) {
                keep(found.get(0));
                throw new PoisonViolationException(found.get(0), NULL);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks every poisoned byte and every guard byte now, without checking the image or throwing.
     *
     * @return one violation per freed range and per block in which a byte changed (its first changed byte),
     *     by offset; empty when nothing changed
     */
    public List<PoisonViolation> check() {
        lock.lock();
        try {
            calling("check", 0, 0, 0, 0);
            return scan();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the violations calls have found so far (those {@link #verify()} threw included, and those
     * {@link #check()} returned excluded), the first {@value #MAX_KEPT}.
     *
     * @return a copy, in the order they were found
     */
    public List<PoisonViolation> violations() {
        lock.lock();
        try {
            return Collections.unmodifiableList(new ArrayList<>(violations));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PoisoningAllocator[" + (guards ? "guards, " : "") + delegate + "]";
    }

    /**
     * The end of the payload of the block holding {@code handle}, which the decorator has no record of. If the
     * allocator refuses the handle, {@code operation} (the caller's own call) is made so that it throws its own
     * exception, as it refuses whatever usableSize refuses.
     */
    private int endOf(int handle, Runnable operation) {
        try {
            return handle + delegate.usableSize(handle);
        } catch (DoubleFreeException | InvalidFreeException e) {
            operation.run();
            throw new IllegalStateException(delegate + " refused usableSize(" + handle + ") but not the call on"
                    + " the same offset: it breaks the Allocator contract", e);
        }
    }

    /** Notes the call in progress (under the lock). */
    private void calling(String name, int first, int second, int third, int count) {
        operation = name;
        arguments[0] = first;
        arguments[1] = second;
        arguments[2] = third;
        argumentCount = count;
    }

    /** The call in progress as a violation names it, for example {@code allocate(16, 1)}. */
    private String call() {
        StringBuilder call = new StringBuilder(operation).append('(');
        for (int i = 0; i < argumentCount; i++) {
            call.append(i == 0 ? "" : ", ").append(arguments[i]);
        }
        return call.append(')').toString();
    }

    /** A block just handed out at {@code handle}: checks and takes back its space, fills its guard. */
    private PoisonViolation takeBlock(int handle, int from, int size, int alignment) {
        int end = handle + delegate.usableSize(handle);
        PoisonViolation found = take(from, end);
        track(handle, size, alignment, end);
        return found;
    }

    /**
     * Space from {@code from} to {@code end} now belongs to a block: checks its poisoned granules, then clears
     * them and the granule at {@code end}, where the allocator may have written a header.
     */
    private PoisonViolation take(int from, int end) {
        PoisonViolation found = firstChanged(from, end);
        unpoison(from, Math.min(end + GRANULE, capacity));
        return found;
    }

    private void track(int handle, int size, int alignment, int end) {
        live.put(handle, new Live(size, alignment, end));
        if (guards) {
            int guardStart = guardStart(handle, size);
            if (guardStart < end) {
                heap.fill(guardStart, end - guardStart, GUARD_PATTERN);
            }
        }
    }

    private static int guardStart(int handle, int size) {
        return handle + Math.max(size, 1);
    }

    private PoisonViolation checkGuards(int handle, Live record) {
        if (!guards) {
            return null;
        }
        for (int offset = guardStart(handle, record.size); offset < record.end; offset++) {
            byte found = heap.getByte(offset);
            if (found != GUARD_PATTERN) {
                return new PoisonViolation(PoisonViolation.Kind.OVERRUN, offset, handle, record.size, GUARD_PATTERN,
                        found, call());
            }
        }
        return null;
    }

    /** Fills {@code [start, end)} (granule-aligned) with the free pattern and records whose bytes they were. */
    private void poison(int start, int end, int blockHandle, int blockSize) {
        if (start >= end) {
            return;
        }
        heap.fill(start, end - start, FREE_PATTERN);
        poisoned.set(start / GRANULE, end / GRANULE);
        forget(start, end);
        freed.put(start, new Freed(end, blockHandle, blockSize));
    }

    /** Takes back {@code [from, to)} (granule-aligned): no longer poisoned, no longer a freed range. */
    private void unpoison(int from, int to) {
        if (from >= to) {
            return;
        }
        poisoned.clear(from / GRANULE, to / GRANULE);
        forget(from, to);
    }

    /** Trims the freed ranges so that none overlaps {@code [from, to)}. */
    private void forget(int from, int to) {
        Map.Entry<Integer, Freed> before = freed.lowerEntry(from);
        if (before != null && before.getValue().end > from) {
            Freed range = before.getValue();
            freed.put(before.getKey(), new Freed(from, range.blockHandle, range.blockSize));
            if (range.end > to) {
                freed.put(to, range);
            }
        }
        NavigableMap<Integer, Freed> inside = freed.subMap(from, true, to, false);
        Map.Entry<Integer, Freed> last = inside.lastEntry();
        if (last != null && last.getValue().end > to) {
            freed.put(to, last.getValue());
        }
        inside.clear();
    }

    /** The first changed poisoned byte in {@code [from, to)}, or null. */
    private PoisonViolation firstChanged(int from, int to) {
        int last = to / GRANULE;
        for (int granule = poisoned.nextSetBit(from / GRANULE); granule >= 0 && granule < last;
                granule = poisoned.nextSetBit(granule + 1)) {
            int offset = granule * GRANULE;
            if (heap.getInt(offset) != FREE_WORD) {
                while (heap.getByte(offset) == FREE_PATTERN) {
                    offset++;
                }
                Map.Entry<Integer, Freed> range = freed.floorEntry(offset);
                Freed covering = range != null && range.getValue().end > offset ? range.getValue() : null;
                return new PoisonViolation(PoisonViolation.Kind.WRITE_AFTER_FREE, offset,
                        covering != null ? covering.blockHandle : NULL, covering != null ? covering.blockSize : 0,
                        FREE_PATTERN, heap.getByte(offset), call());
            }
        }
        return null;
    }

    private List<PoisonViolation> scan() {
        List<PoisonViolation> found = new ArrayList<>();
        int from = 0;
        while (from < capacity) {
            PoisonViolation changed = firstChanged(from, capacity);
            if (changed == null) {
                break;
            }
            found.add(changed);
            // on to the next freed range
            Map.Entry<Integer, Freed> range = freed.floorEntry(changed.offset());
            int end = range != null && range.getValue().end > changed.offset() ? range.getValue().end
                    : changed.offset() + 1;
            from = roundUp(end);
        }
        for (Map.Entry<Integer, Live> block : live.entries()) {
            PoisonViolation overrun = checkGuards(block.getKey(), block.getValue());
            if (overrun != null) {
                found.add(overrun);
            }
        }
        found.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        return found;
    }

    private void report(PoisonViolation violation, int handle) {
        if (violation == null) {
            return;
        }
        keep(violation);
        if (failFast) {
            throw new PoisonViolationException(violation, handle);
        }
        LOG.error("{}", violation.describe());
    }

    private void keep(PoisonViolation violation) {
        if (violations.size() < MAX_KEPT) {
            violations.add(violation);
        }
    }

    private static int roundUp(int offset) {
        return (int) HeaderDescriptor.roundUp(offset);
    }

    /** A range of poisoned bytes up to {@code end}, and the block freed there. */
    private static final class Freed {
        final int end;
        final int blockHandle;
        final int blockSize;

        Freed(int end, int blockHandle, int blockSize) {
            this.end = end;
            this.blockHandle = blockHandle;
            this.blockSize = blockSize;
        }
    }

    /** The record of a live block: its requested size, padding bound and payload end. */
    private static final class Live extends TrackedBlocks.Block {
        final int size;

        Live(int size, int alignment, int end) {
            super(alignment, end);
            this.size = size;
        }
    }
}
