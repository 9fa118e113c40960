package io.github.emballoc.testkit;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.OperationCounts;
import io.github.emballoc.api.RawHeap;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A compact, deliberately plain re-implementation of the entry algorithm of {@code heap-format.md} (first or
 * best fit) and of the operations and write order of {@code io.github.emballoc.api.image} (both coalescing
 * modes, usable size, reallocate, coalesce), written for the test kit's own tests from the rules' text, so it
 * restates the format (the 4-byte header, the rounding) on purpose: the contracts must pass it, and each
 * {@link Bug} breaks it in one way that a contract must catch. Operations are {@code synchronized}, so it is
 * thread-safe.
 */
final class ReferenceAllocator implements Allocator {

    /** One way to break the algorithm. */
    enum Bug {
        /** free merges the next entry even when it is used: a live block is swallowed and handed out again. */
        MERGES_USED_NEIGHBOUR,
        /** free of a free entry "succeeds" (marks it free again, merging forward) instead of throwing. */
        NO_DOUBLE_FREE_CHECK,
        /** the split puts the remainder's header over the last 4 bytes of the block just allocated. */
        SPLIT_OVER_PAYLOAD,
        /** headers are always written and read little-endian, whatever the heap's order. */
        HEADERS_ALWAYS_LITTLE_ENDIAN,
        /** first fit, even when built as best fit. */
        ALWAYS_FIRST_FIT,
        /** usableSize reports one byte more than the block holds. */
        USABLE_SIZE_ONE_TOO_LARGE,
        /** usableSize of an offset inside a free entry answers instead of throwing DoubleFreeException. */
        USABLE_SIZE_OF_FREE_ENTRY,
        /** a moving reallocation does not copy the payload. */
        REALLOCATE_LOSES_PAYLOAD,
        /** a reallocation that grows moves the block even when the free entry after it has room. */
        REALLOCATE_MOVES_INSTEAD_OF_GROWING,
        /** a moving reallocation that finds no room frees the old block before returning NULL. */
        REALLOCATE_FREES_ON_FAILURE,
        /** reallocate of an offset inside a free entry takes the entry as a block instead of refusing it. */
        REALLOCATE_OF_FREE_ENTRY,
        /** free(NULL) throws InvalidFreeException (the behaviour before it was decided). */
        FREE_NULL_THROWS,
        /** coalesce() forgets the run of free entries that reaches the end of the walk. */
        COALESCE_SKIPS_LAST_RUN,
        /** view(h) covers 4 bytes more than the block: the next header. */
        VIEW_PAST_BLOCK,
        /** a moving reallocation also counts the allocation and the free it is made of. */
        COUNTS_MOVING_REALLOCATE_TWICE,
        /** allocate writes the chosen entry's header before the remainder's (emballoc's order, not crash-safe). */
        OLD_WRITE_ORDER,
        /** a shrink in place writes the block's header before the tail's. */
        SHRINK_HEADER_FIRST,
        /** a growth in place writes the block's header before the remainder's. */
        GROW_HEADER_FIRST,
        /** a moving reallocation frees the old block before it copies the payload into the new one. */
        MOVING_FREES_BEFORE_COPY,
        /** a free with Coalescing.BOTH writes the freed entry's header, then the previous entry's. */
        BOTH_FREE_TWO_WRITES,
        /** coalesce() grows a run's first header once per entry it absorbs. */
        COALESCE_WRITES_PER_ENTRY
    }

    private static final int HEADER = 4;

    private final RawHeap heap;
    private final boolean best;
    private final boolean both;
    private final Set<Bug> bugs;
    private final int capacity;

    private long allocations;
    private long failedAllocations;
    private long frees;
    private long reallocations;

    ReferenceAllocator(RawHeap heap, boolean best, Bug... bugs) {
        this(heap, best, Coalescing.FORWARD, bugs);
    }

    ReferenceAllocator(RawHeap heap, boolean best, Coalescing coalescing, Bug... bugs) {
        this.heap = Objects.requireNonNull(heap, "heap");
        this.best = best;
        this.both = coalescing == Coalescing.BOTH;
        this.bugs = bugs.length == 0 ? EnumSet.noneOf(Bug.class) : EnumSet.of(bugs[0], bugs);
        this.capacity = heap.capacity();
        if (capacity < 8 || capacity % 4 != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a multiple of 4 of at least 8");
        }
        if (heap.getInt(0) == 0) {
            putWord(0, capacity - HEADER, false);
        } else {
            walk((offset, used, size) -> { });
        }
    }

    private boolean has(Bug bug) {
        return bugs.contains(bug);
    }

    private int word(int offset) {
        if (has(Bug.HEADERS_ALWAYS_LITTLE_ENDIAN)) {
            return (heap.getByte(offset) & 0xFF) | (heap.getByte(offset + 1) & 0xFF) << 8
                    | (heap.getByte(offset + 2) & 0xFF) << 16 | (heap.getByte(offset + 3) & 0xFF) << 24;
        }
        return heap.getInt(offset);
    }

    private void putWord(int offset, int size, boolean used) {
        int word = (size << 1) | (used ? 1 : 0);
        if (has(Bug.HEADERS_ALWAYS_LITTLE_ENDIAN)) {
            for (int i = 0; i < 4; i++) {
                heap.putByte(offset + i, (byte) (word >>> (8 * i)));
            }
        } else {
            heap.putInt(offset, word);
        }
    }

    /** The size of the checked entry at {@code offset}. */
    private int size(int offset) {
        int size = word(offset) >>> 1;
        if (size % 4 != 0) {
            throw new HeapCorruptedException(offset, "size " + size + " is not a multiple of 4");
        }
        if ((long) offset + HEADER + size > capacity) {
            throw new HeapCorruptedException(offset, "payload of " + size + " bytes runs past the capacity " + capacity);
        }
        return size;
    }

    private boolean used(int offset) {
        return (word(offset) & 1) != 0;
    }

    /** Whether a visited entry starts at {@code offset} (the walk visits entries while offset + 4 < capacity). */
    private boolean visited(int offset) {
        return offset + HEADER < capacity;
    }

    @Override
    public RawHeap heap() {
        return heap;
    }

    private static void checkRequest(int size, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
    }

    @Override
    public synchronized int allocate(int size, int alignment) {
        checkRequest(size, alignment);
        int handle = allocateUncounted(size, alignment);
        if (handle == NULL) {
            failedAllocations++;
        } else {
            allocations++;
        }
        return handle;
    }

    private int allocateUncounted(int size, int alignment) {
        long request = alignment > 4 ? (long) size + alignment : size;
        if (request == 0) {
            request = 4;
        }
        long n = (request + 3) & ~3L;
        int chosen = -1;
        int chosenSize = 0;
        for (int offset = 0; visited(offset); offset += HEADER + size(offset)) {
            int entry = size(offset);
            if (!used(offset) && entry >= n && (chosen < 0 || entry < chosenSize)) {
                chosen = offset;
                chosenSize = entry;
                if (!best || has(Bug.ALWAYS_FIRST_FIT)) {
                    break;
                }
            }
        }
        if (chosen < 0) {
            return NULL;
        }
        int taken = (int) n;
        if (chosenSize - taken < HEADER) {
            putWord(chosen, taken, true);
        } else if (has(Bug.SPLIT_OVER_PAYLOAD)) {
            // a consistent image whose used entry is 4 bytes short: the remainder's header sits in the last
            // 4 bytes of the block the caller was given
            putWord(chosen + taken, chosenSize - taken, false);
            putWord(chosen, taken - HEADER, true);
        } else if (has(Bug.OLD_WRITE_ORDER)) {
            putWord(chosen, taken, true);
            putWord(chosen + HEADER + taken, chosenSize - taken - HEADER, false);
        } else {
            putWord(chosen + HEADER + taken, chosenSize - taken - HEADER, false);
            putWord(chosen, taken, true);
        }
        int payload = chosen + HEADER;
        return (payload + alignment - 1) & -alignment;
    }

    @Override
    public synchronized void free(int handle) {
        if (handle == NULL) {
            if (has(Bug.FREE_NULL_THROWS)) {
                throw new InvalidFreeException(handle, capacity);
            }
            return;
        }
        int previous = -1;
        for (int offset = 0; visited(offset); offset += HEADER + size(offset)) {
            int size = size(offset);
            if (handle >= offset + HEADER && (long) handle < (long) offset + HEADER + size) {
                if (!used(offset) && !has(Bug.NO_DOUBLE_FREE_CHECK)) {
                    throw new DoubleFreeException(handle, offset, size);
                }
                release(offset, previous);
                frees++;
                return;
            }
            previous = offset;
        }
        throw new InvalidFreeException(handle, capacity);
    }

    /** Frees the entry at {@code offset} by this allocator's coalescing; {@code previous} is the entry before it. */
    private void release(int offset, int previous) {
        int size = size(offset);
        int next = offset + HEADER + size;
        if (visited(next) && (!used(next) || has(Bug.MERGES_USED_NEIGHBOUR))) {
            size += HEADER + size(next);
        }
        if (both && previous >= 0 && !used(previous)) {
            if (has(Bug.BOTH_FREE_TWO_WRITES)) {
                putWord(offset, size, false);
            }
            putWord(previous, size(previous) + HEADER + size, false);
            return;
        }
        putWord(offset, size, false);
    }

    /** The header offset of the entry before the one at {@code offset}, or -1. */
    private int previousOf(int offset) {
        int previous = -1;
        for (int at = 0; at < offset; at += HEADER + size(at)) {
            previous = at;
        }
        return previous;
    }

    /** The header offset of the used entry whose payload holds {@code handle}; refused as free refuses it. */
    private int usedEntryHolding(String operation, int handle, boolean usedOnly) {
        for (int offset = 0; visited(offset); offset += HEADER + size(offset)) {
            int size = size(offset);
            if (handle >= offset + HEADER && (long) handle < (long) offset + HEADER + size) {
                if (!used(offset) && usedOnly) {
                    throw new DoubleFreeException(operation, handle, offset, size);
                }
                return offset;
            }
        }
        throw new InvalidFreeException(operation, handle, capacity);
    }

    @Override
    public synchronized int usableSize(int handle) {
        int offset = usedEntryHolding("usableSize", handle, !has(Bug.USABLE_SIZE_OF_FREE_ENTRY));
        return offset + HEADER + size(offset) - handle + (has(Bug.USABLE_SIZE_ONE_TOO_LARGE) ? 1 : 0);
    }

    @Override
    public synchronized int reallocate(int handle, int newSize, int alignment) {
        checkRequest(newSize, alignment);
        if (handle == NULL) {
            return allocate(newSize, alignment);
        }
        int offset = usedEntryHolding("reallocate", handle, !has(Bug.REALLOCATE_OF_FREE_ENTRY));
        int size = size(offset);
        int payload = offset + HEADER;
        long need = ((long) handle - payload + Math.max(newSize, 1) + 3) & ~3L;   // the handle stays inside
        int next = payload + size;
        boolean nextFree = visited(next) && !used(next);
        if (handle % alignment == 0 && need <= size) {
            if (size - need >= HEADER) {
                int tail = (int) (size - need - HEADER) + (nextFree ? HEADER + size(next) : 0);
                if (has(Bug.SHRINK_HEADER_FIRST)) {
                    putWord(offset, (int) need, true);
                    putWord(payload + (int) need, tail, false);
                } else {
                    putWord(payload + (int) need, tail, false);
                    putWord(offset, (int) need, true);
                }
            }
            reallocations++;
            return handle;
        }
        if (handle % alignment == 0 && nextFree && (long) size + HEADER + size(next) >= need
                && !has(Bug.REALLOCATE_MOVES_INSTEAD_OF_GROWING)) {
            int total = size + HEADER + size(next);
            if (total - need < HEADER) {
                putWord(offset, total, true);
            } else if (has(Bug.GROW_HEADER_FIRST)) {
                putWord(offset, (int) need, true);
                putWord(payload + (int) need, (int) (total - need - HEADER), false);
            } else {
                putWord(payload + (int) need, (int) (total - need - HEADER), false);
                putWord(offset, (int) need, true);
            }
            reallocations++;
            return handle;
        }
        boolean countParts = has(Bug.COUNTS_MOVING_REALLOCATE_TWICE);
        int moved = countParts ? allocate(newSize, alignment) : allocateUncounted(newSize, alignment);
        if (moved == NULL) {
            if (has(Bug.REALLOCATE_FREES_ON_FAILURE)) {
                release(offset, previousOf(offset));
            }
            if (!countParts) {
                failedAllocations++;
            }
            return NULL;
        }
        int kept = (int) Math.min(newSize, (long) payload + size - handle);
        if (has(Bug.MOVING_FREES_BEFORE_COPY)) {
            // the old payload is still there after the free (it writes one header), so this works without a crash
            release(offset, previousOf(offset));
            heap.copy(handle, moved, kept);
        } else {
            if (!has(Bug.REALLOCATE_LOSES_PAYLOAD)) {
                heap.copy(handle, moved, kept);
            }
            if (countParts) {
                free(handle);
            } else {
                release(offset, previousOf(offset));
            }
        }
        reallocations++;
        return moved;
    }

    @Override
    public synchronized int coalesce() {
        verify();
        int merges = 0;
        int run = -1;
        int absorbed = 0;
        int offset = 0;
        for (; visited(offset); offset += HEADER + size(offset)) {
            if (used(offset)) {
                merges += closeRun(run, absorbed, offset);
                run = -1;
                absorbed = 0;
            } else if (run < 0) {
                run = offset;
            } else {
                absorbed++;
                if (has(Bug.COALESCE_WRITES_PER_ENTRY)) {
                    putWord(run, offset + HEADER + size(offset) - run - HEADER, false);
                }
            }
        }
        return merges + (has(Bug.COALESCE_SKIPS_LAST_RUN) ? 0 : closeRun(run, absorbed, offset));
    }

    /** Writes the merged header of a run of free entries ending at {@code end}, if it absorbed any. */
    private int closeRun(int run, int absorbed, int end) {
        if (absorbed > 0) {
            putWord(run, end - run - HEADER, false);
        }
        return absorbed;
    }

    @Override
    public ByteBuffer view(int handle) {
        if (has(Bug.VIEW_PAST_BLOCK)) {
            int usable = usableSize(handle);
            return heap.asByteBuffer(handle, Math.min(usable + HEADER, capacity - handle));
        }
        return Allocator.super.view(handle);
    }

    @Override
    public synchronized OperationCounts counts() {
        return new OperationCounts(allocations, failedAllocations, frees, reallocations);
    }

    @Override
    public synchronized HeapStats stats() {
        HeapStats.Accumulator accumulator = new HeapStats.Accumulator();
        walk(accumulator);
        return accumulator.toStats(capacity);
    }

    @Override
    public synchronized void walk(EntryVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        int offset = 0;
        for (; visited(offset); offset += HEADER + size(offset)) {
            visitor.visit(offset, used(offset), size(offset));
        }
        if (offset != capacity && offset != capacity - HEADER) {
            throw new HeapCorruptedException(offset, "the walk ends at " + offset);
        }
    }

    @Override
    public void verify() {
        walk((offset, used, size) -> { });
    }

    @Override
    public String toString() {
        return "ReferenceAllocator[" + (best ? "best" : "first") + " fit, " + (both ? "BOTH" : "FORWARD")
                + (bugs.isEmpty() ? "" : ", bugs " + bugs) + "]";
    }
}
