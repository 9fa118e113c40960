package io.github.emballoc.api.image;

import static io.github.emballoc.api.image.HeaderDescriptor.GRANULE;
import static io.github.emballoc.api.image.HeaderDescriptor.HEADER_LENGTH;

import io.github.emballoc.api.EntryVisitor;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import java.util.Objects;

/**
 * The checked walk over a heap image, its initialisation, and the check made before attaching to it: shared
 * by every allocator, the statistics, the command-line tool and the test kit, so that all of them accept and
 * refuse exactly the same images.
 *
 * <h2>The walk</h2>
 * Entries are visited from offset 0 while {@code offset < capacity - 4}; the next entry starts at
 * {@code offset + 4 + size}. Each visited header is checked as it is read: its size is a multiple of 4 and its
 * payload ends at or before the capacity. So a walk advances by at least 4 bytes per entry, never leaves the
 * heap, and ends at {@code capacity} or at {@code capacity - 4} (the never-visited zero-size entry a split
 * can leave in the last 4 bytes). A header that breaks a rule stops the walk with a
 * {@link HeapCorruptedException} that names its offset, the rule and the header word; nothing is written.
 * Two neighbouring free entries are allowed.
 *
 * <p>Stateless; every method may be called from any thread, but the heap must not be written while it is
 * walked (an allocator walks inside its critical section). No method allocates per entry.
 */
public final class HeapImage {

    private HeapImage() {
    }

    /**
     * Tells whether a heap holds no image yet: its first four bytes are zero.
     *
     * @param heap the heap, of a valid capacity
     * @return whether the first word is zero
     * @throws IndexOutOfBoundsException if the heap is smaller than 4 bytes
     */
    public static boolean isUninitialised(RawHeap heap) {
        return heap.getInt(0) == 0;
    }

    /**
     * Writes the initial image: one free entry of {@code capacity - 4} bytes at offset 0 (one header write).
     *
     * @param heap the heap
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
     */
    public static void initialise(RawHeap heap) {
        int capacity = heap.capacity();
        HeaderDescriptor.checkCapacity(capacity);
        heap.putInt(0, HeaderDescriptor.word(capacity - HEADER_LENGTH, false));
    }

    /**
     * Prepares a heap for an allocator: initialises it when its first word is zero, otherwise checks the whole
     * image. In both cases {@code visitor} (when not {@code null}) receives every entry, so an allocator can
     * build its index in the same pass.
     *
     * @param heap the heap
     * @param visitor receives the entries in walk order, or {@code null}
     * @return {@code true} if the heap was initialised, {@code false} if it held an image and was checked
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644, or the
     *     heap is read-only (an allocator must write headers); nothing is written then
     * @throws HeapCorruptedException if the image breaks the format (entries before the bad header have been
     *     visited); nothing is written
     */
    public static boolean attach(RawHeap heap, EntryVisitor visitor) {
        int capacity = heap.capacity();
        HeaderDescriptor.checkCapacity(capacity);
        if (heap.isReadOnly()) {
            throw new IllegalArgumentException(heap + " is read-only: an allocator writes headers, so it needs a"
                    + " writable heap (a read-only heap can be checked and walked with HeapImage)");
        }
        if (isUninitialised(heap)) {
            initialise(heap);
            if (visitor != null) {
                visitor.visit(0, false, capacity - HEADER_LENGTH);
            }
            return true;
        }
        walk(heap, visitor);
        return false;
    }

    /**
     * Walks every entry of an image, checking each header.
     *
     * @param heap the heap, of a valid capacity
     * @param visitor receives the entries in walk order, or {@code null} to check only
     * @return where the walk ended: {@code capacity}, or {@code capacity - 4} when the last 4 bytes are the
     *     never-visited entry
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
     * @throws HeapCorruptedException at the first bad header (entries before it have been visited)
     */
    public static int walk(RawHeap heap, EntryVisitor visitor) {
        Objects.requireNonNull(heap, "heap");
        int capacity = heap.capacity();
        HeaderDescriptor.checkCapacity(capacity);
        return walk(HeaderAccess.of(heap), capacity, visitor);
    }

    /**
     * Walks every entry through an allocator's {@link HeaderAccess}, checking each header. The form an
     * allocator uses on its own heap.
     *
     * @param access the access to the heap
     * @param capacity the heap's capacity, already checked
     * @param visitor receives the entries in walk order, or {@code null} to check only
     * @return where the walk ended: {@code capacity} or {@code capacity - 4}
     * @throws HeapCorruptedException at the first bad header (entries before it have been visited)
     */
    public static int walk(HeaderAccess access, int capacity, EntryVisitor visitor) {
        int limit = capacity - HEADER_LENGTH;
        int offset = 0;
        while (offset < limit) {
            int word = access.getWord(offset);
            int size = checkedSize(capacity, offset, word);
            if (visitor != null) {
                visitor.visit(offset, HeaderDescriptor.isUsed(word), size);
            }
            offset += HEADER_LENGTH + size;
        }
        return offset;
    }

    /**
     * Checks an image and adds up what it holds: what {@code emballoc inspect} and an allocator's statistics
     * report.
     *
     * @param heap the heap, of a valid capacity, holding an image (a zero first word reads as one free entry
     *     of size 0, which the walk refuses unless the capacity is 8)
     * @return the statistics of the image
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
     * @throws HeapCorruptedException at the first bad header
     */
    public static HeapStats check(RawHeap heap) {
        HeapStats.Accumulator counts = new HeapStats.Accumulator();
        walk(heap, counts);
        return counts.toStats(heap.capacity());
    }

    /**
     * Decodes and checks the size of the header at {@code offset}, a header position below
     * {@code capacity - 4}.
     *
     * @param capacity the heap's capacity
     * @param offset the header's offset
     * @param word the header word read there
     * @return the payload size: a multiple of 4 whose payload ends at or before {@code capacity}
     * @throws HeapCorruptedException naming the offset, the rule broken and the word, if it is not
     */
    public static int checkedSize(int capacity, int offset, int word) {
        int size = HeaderDescriptor.size(word);
        if ((size & (GRANULE - 1)) != 0) {
            throw corrupt(offset, word, "size " + size + " is not a multiple of " + GRANULE);
        }
        if (size > capacity - HEADER_LENGTH - offset) {
            throw corrupt(offset, word, (HeaderDescriptor.isUsed(word) ? "used" : "free") + " entry of " + size
                    + " bytes ends at " + HeaderDescriptor.nextOffset(offset, size) + ", past the capacity "
                    + capacity);
        }
        return size;
    }

    /**
     * Makes the exception for a bad header, naming its word.
     *
     * @param offset the header's offset
     * @param word the header word
     * @param reason what is wrong with it
     * @return the exception, to be thrown
     */
    public static HeapCorruptedException corrupt(int offset, int word, String reason) {
        return new HeapCorruptedException(offset, reason + " (header word 0x" + String.format("%08x", word) + ")");
    }
}
