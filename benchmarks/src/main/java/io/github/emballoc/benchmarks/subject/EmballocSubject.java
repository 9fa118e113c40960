package io.github.emballoc.benchmarks.subject;

import static io.github.emballoc.api.image.HeaderDescriptor.HEADER_LENGTH;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One of this project's allocators over one heap; slots hold handles ({@code int}), {@link Allocator#NULL}
 * when empty.
 *
 * <p>{@link #fill(int[], int)} writes the image that {@code count} allocations on the fresh heap would leave
 * (every block after the one before it, then one free entry with the rest) and builds a new allocator that
 * attaches to it, instead of making those calls: with a linear walk they cost O(count²), 20 billion header reads
 * for 200,000 blocks. Both strategies take a fresh heap's one free entry for every request that fits it, so the
 * image is the same (a test compares the bytes); a request that does not fit fails and changes nothing, as
 * {@code allocate} does.
 *
 * <p>Threads: as the allocator's critical section allows; see {@link Sharing}.
 */
public final class EmballocSubject implements Subject {

    private final Heaps.Opened region;
    private final Function<RawHeap, Allocator> build;
    private final int[] handles;
    private Allocator allocator;

    /**
     * Builds an allocator over a zeroed heap.
     *
     * @param region the heap, zeroed; closed with this subject
     * @param build builds the allocator over a heap (initialising a zeroed one, attaching to an image)
     * @param slots how many slots
     */
    public EmballocSubject(Heaps.Opened region, Function<RawHeap, Allocator> build, int slots) {
        this.region = region;
        this.build = build;
        this.handles = new int[slots];
        Arrays.fill(handles, Allocator.NULL);
        this.allocator = build.apply(region.heap());
    }

    /**
     * Returns the allocator under test (a new one after {@link #fill(int[], int)}).
     *
     * @return the allocator
     */
    public Allocator allocator() {
        return allocator;
    }

    @Override
    public boolean allocate(int slot, int size) {
        int handle = allocator.allocate(size);
        handles[slot] = handle;
        return handle != Allocator.NULL;
    }

    @Override
    public void free(int slot) {
        int handle = handles[slot];
        if (handle != Allocator.NULL) {
            handles[slot] = Allocator.NULL;
            allocator.free(handle);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the image directly and attaches a new allocator to it; see the class description.
     *
     * @throws IllegalStateException if a block has been allocated already
     */
    @Override
    public int fill(int[] sizes, int count) {
        for (int handle : handles) {
            if (handle != Allocator.NULL) {
                throw new IllegalStateException("fill() needs a subject on which nothing is allocated");
            }
        }
        RawHeap heap = region.heap();
        int capacity = heap.capacity();
        int offset = 0;                   // the header of the one free entry, or capacity when none is left
        long free = capacity - HEADER_LENGTH; // its payload
        int failed = 0;
        for (int i = 0; i < count; i++) {
            long need = HeaderDescriptor.blockSize(sizes[i], 1);
            if (offset >= capacity || need > free) {
                failed++;
                continue;
            }
            heap.putInt(offset, HeaderDescriptor.word((int) need, true));
            handles[i] = HeaderDescriptor.payloadOffset(offset);
            long rest = free - need;
            offset += HEADER_LENGTH + (int) need;
            if (rest >= HEADER_LENGTH) {
                free = rest - HEADER_LENGTH;
            } else {
                offset = capacity; // the block took the whole entry
            }
        }
        if (offset < capacity) {
            heap.putInt(offset, HeaderDescriptor.word((int) free, false));
        }
        allocator = build.apply(heap);
        return failed;
    }

    @Override
    public long regionBytes() {
        return region.heap().capacity();
    }

    @Override
    public void close() {
        region.close();
    }

    @Override
    public String toString() {
        return allocator.toString();
    }
}
