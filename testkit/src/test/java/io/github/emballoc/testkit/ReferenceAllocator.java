package io.github.emballoc.testkit;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A compact, deliberately plain re-implementation of the entry algorithm of {@code heap-format.md} (first or
 * best fit), written for the test kit's own tests: the contracts must pass it, and each {@link Bug} breaks
 * it in one way that a contract must catch. Operations are {@code synchronized}, so it is thread-safe.
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
        ALWAYS_FIRST_FIT
    }

    private static final int HEADER = 4;

    private final RawHeap heap;
    private final boolean best;
    private final Set<Bug> bugs;
    private final int capacity;

    ReferenceAllocator(RawHeap heap, boolean best, Bug... bugs) {
        this.heap = Objects.requireNonNull(heap, "heap");
        this.best = best;
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

    private int word(int offset) {
        if (bugs.contains(Bug.HEADERS_ALWAYS_LITTLE_ENDIAN)) {
            return (heap.getByte(offset) & 0xFF) | (heap.getByte(offset + 1) & 0xFF) << 8
                    | (heap.getByte(offset + 2) & 0xFF) << 16 | (heap.getByte(offset + 3) & 0xFF) << 24;
        }
        return heap.getInt(offset);
    }

    private void putWord(int offset, int size, boolean used) {
        int word = (size << 1) | (used ? 1 : 0);
        if (bugs.contains(Bug.HEADERS_ALWAYS_LITTLE_ENDIAN)) {
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

    @Override
    public RawHeap heap() {
        return heap;
    }

    @Override
    public synchronized int allocate(int size, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
        long request = alignment > 4 ? (long) size + alignment : size;
        if (request == 0) {
            request = 4;
        }
        long n = (request + 3) & ~3L;
        int chosen = -1;
        int chosenSize = 0;
        for (int offset = 0; offset + HEADER < capacity; offset += HEADER + size(offset)) {
            int entry = size(offset);
            if (!used(offset) && entry >= n && (chosen < 0 || entry < chosenSize)) {
                chosen = offset;
                chosenSize = entry;
                if (!best || bugs.contains(Bug.ALWAYS_FIRST_FIT)) {
                    break;
                }
            }
        }
        if (chosen < 0) {
            return NULL;
        }
        int taken = (int) n;
        putWord(chosen, taken, true);
        if (chosenSize - taken >= HEADER) {
            if (bugs.contains(Bug.SPLIT_OVER_PAYLOAD)) {
                // a consistent image whose used entry is 4 bytes short: the remainder's header sits in
                // the last 4 bytes of the block the caller was given
                putWord(chosen, taken - HEADER, true);
                putWord(chosen + taken, chosenSize - taken, false);
            } else {
                putWord(chosen + HEADER + taken, chosenSize - taken - HEADER, false);
            }
        }
        int payload = chosen + HEADER;
        return (payload + alignment - 1) & -alignment;
    }

    @Override
    public synchronized void free(int handle) {
        if (handle == NULL) {
            return;
        }
        for (int offset = 0; offset + HEADER < capacity; offset += HEADER + size(offset)) {
            int size = size(offset);
            if (handle >= offset + HEADER && (long) handle < (long) offset + HEADER + size) {
                if (!used(offset) && !bugs.contains(Bug.NO_DOUBLE_FREE_CHECK)) {
                    throw new DoubleFreeException(handle, offset, size);
                }
                int next = offset + HEADER + size;
                if (next + HEADER < capacity && (!used(next) || bugs.contains(Bug.MERGES_USED_NEIGHBOUR))) {
                    size += HEADER + size(next);
                }
                putWord(offset, size, false);
                return;
            }
        }
        throw new InvalidFreeException(handle, capacity);
    }

    /** The header offset of the used entry whose payload holds {@code handle}; refused as free refuses it. */
    private int usedEntryHolding(String operation, int handle) {
        for (int offset = 0; offset + HEADER < capacity; offset += HEADER + size(offset)) {
            int size = size(offset);
            if (handle >= offset + HEADER && (long) handle < (long) offset + HEADER + size) {
                if (!used(offset)) {
                    throw new DoubleFreeException(operation, handle, offset, size);
                }
                return offset;
            }
        }
        throw new InvalidFreeException(operation, handle, capacity);
    }

    @Override
    public synchronized int usableSize(int handle) {
        int offset = usedEntryHolding("usableSize", handle);
        return offset + HEADER + size(offset) - handle;
    }

    @Override
    public synchronized int reallocate(int handle, int newSize, int alignment) {
        if (newSize < 0) {
            throw new IllegalArgumentException("size " + newSize + " is negative");
        }
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
        if (handle == NULL) {
            return allocate(newSize, alignment);
        }
        int offset = usedEntryHolding("reallocate", handle);
        int size = size(offset);
        int payload = offset + HEADER;
        long span = ((long) handle - payload + Math.max(newSize, 1) + 3) & ~3L;
        int next = payload + size;
        boolean nextFree = next + HEADER < capacity && !used(next);
        if (handle % alignment == 0 && span <= size) {
            if (size - span >= HEADER) {
                int tail = (int) (size - span - HEADER) + (nextFree ? HEADER + size(next) : 0);
                putWord(payload + (int) span, tail, false);
                putWord(offset, (int) span, true);
            }
            return handle;
        }
        if (handle % alignment == 0 && nextFree && (long) size + HEADER + size(next) >= span) {
            int total = size + HEADER + size(next);
            if (total - span >= HEADER) {
                putWord(payload + (int) span, (int) (total - span - HEADER), false);
                putWord(offset, (int) span, true);
            } else {
                putWord(offset, total, true);
            }
            return handle;
        }
        int moved = allocate(newSize, alignment);
        if (moved != NULL) {
            int keep = (int) Math.min(newSize, (long) payload + size - handle);
            for (int i = 0; i < keep; i++) {
                heap.putByte(moved + i, heap.getByte(handle + i));
            }
            free(handle);
        }
        return moved;
    }

    @Override
    public synchronized int coalesce() {
        verify();
        int merges = 0;
        int run = -1;
        int offset = 0;
        for (; offset + HEADER < capacity; offset += HEADER + size(offset)) {
            if (used(offset)) {
                run = -1;
            } else if (run < 0) {
                run = offset;
            } else {
                putWord(run, offset + HEADER + size(offset) - run - HEADER, false);
                merges++;
            }
        }
        return merges;
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
        for (; offset + HEADER < capacity; offset += HEADER + size(offset)) {
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
}
