package io.github.emballoc.api;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.image.HeapImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The entries of a heap as one {@link Allocator#walk walk} saw them, in walk order: header offset, used or
 * free, payload size. Kept in primitive arrays, so recording makes no object per entry.
 *
 * <pre>
 * index   0          1          2
 * offset  0          12         20
 * used    true       false      true
 * size    8          4          8        -&gt;  "0 used 8, 12 free 4, 20 used 8"
 * </pre>
 *
 * <p>Threads: immutable once {@link #of(Allocator)} returns; may be read from any thread.
 */
public final class EntryList {

    private final int[] offsets;
    private final int[] sizes;
    private final boolean[] used;
    private final int count;

    private EntryList(int[] offsets, int[] sizes, boolean[] used, int count) {
        this.offsets = offsets;
        this.sizes = sizes;
        this.used = used;
        this.count = count;
    }

    /**
     * Walks the allocator's heap and records its entries.
     *
     * @param allocator the allocator to walk
     * @return the entries
     * @throws HeapCorruptedException if the walk meets a bad header
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static EntryList of(Allocator allocator) {
        Objects.requireNonNull(allocator, "allocator");
        Recorder recorder = new Recorder();
        allocator.walk(recorder);
        return new EntryList(recorder.offsets, recorder.sizes, recorder.used, recorder.count);
    }

    /**
     * Walks a heap image directly, without an allocator, checking every header
     * ({@link HeapImage#walk(RawHeap, EntryVisitor)}), and records its entries. Reads only: a read-only heap
     * works.
     *
     * @param heap a heap holding an image
     * @return the entries
     * @throws HeapCorruptedException if the walk meets a bad header
     * @throws IllegalArgumentException if the capacity is not a multiple of 4 from 8 to 2,147,483,644
     * @throws NullPointerException if {@code heap} is {@code null}
     */
    public static EntryList of(RawHeap heap) {
        Objects.requireNonNull(heap, "heap");
        Recorder recorder = new Recorder();
        HeapImage.walk(heap, recorder);
        return new EntryList(recorder.offsets, recorder.sizes, recorder.used, recorder.count);
    }

    /**
     * Returns the number of entries.
     *
     * @return the count, 0 or more
     */
    public int count() {
        return count;
    }

    /**
     * Returns the header offset of an entry.
     *
     * @param i the entry's position in walk order
     * @return the offset
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public int offset(int i) {
        Objects.checkIndex(i, count);
        return offsets[i];
    }

    /**
     * Returns whether an entry is a used block.
     *
     * @param i the entry's position in walk order
     * @return {@code true} for used, {@code false} for free
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public boolean used(int i) {
        Objects.checkIndex(i, count);
        return used[i];
    }

    /**
     * Returns the payload size of an entry.
     *
     * @param i the entry's position in walk order
     * @return bytes, header excluded
     * @throws IndexOutOfBoundsException if there is no such entry
     */
    public int size(int i) {
        Objects.checkIndex(i, count);
        return sizes[i];
    }

    /**
     * Finds the entry whose header is at {@code headerOffset}.
     *
     * @param headerOffset a header offset
     * @return the entry's position, or -1 when no entry starts there
     */
    public int indexAt(int headerOffset) {
        int i = Arrays.binarySearch(offsets, 0, count, headerOffset);
        return i >= 0 ? i : -1;
    }

    /**
     * Finds the entry whose payload holds {@code offset} (the entry a free of that offset would act on).
     *
     * @param offset an offset in the heap
     * @return the entry's position, or -1 when the offset lies in a header or outside every entry
     */
    public int indexHolding(int offset) {
        int i = Arrays.binarySearch(offsets, 0, count, offset);
        int candidate = i >= 0 ? i - 1 : -i - 2; // the last entry whose header starts before offset
        if (candidate < 0) {
            return -1;
        }
        long start = HeaderDescriptor.payloadOffset(offsets[candidate]);
        return offset >= start && offset < start + sizes[candidate] ? candidate : -1;
    }

    /**
     * Tells whether two walks saw the same entries.
     *
     * @param other the other list
     * @return {@code true} when every entry has the same offset, state and size
     */
    public boolean sameEntries(EntryList other) {
        if (count != other.count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (offsets[i] != other.offsets[i] || sizes[i] != other.sizes[i] || used[i] != other.used[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the entries in the replay output format, {@code e OFFSET used|free SIZE}, each ended by
     * {@code \n}.
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void writeTo(Appendable out) throws IOException {
        for (int i = 0; i < count; i++) {
            out.append("e ").append(Integer.toString(offsets[i])).append(used[i] ? " used " : " free ")
                    .append(Integer.toString(sizes[i])).append('\n');
        }
    }

    /**
     * Returns the entries in the replay output format, as {@link #writeTo(Appendable)} writes them.
     *
     * @return one {@code e OFFSET used|free SIZE} line per entry, each ended by {@code \n}
     */
    public String replayLines() {
        StringBuilder out = new StringBuilder(count * 16);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder failed", e);
        }
        return out.toString();
    }

    /**
     * Returns the entries on one line.
     *
     * @return for example {@code 0 used 8, 12 free 16}; empty for no entries
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(count * 14);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(offsets[i]).append(used[i] ? " used " : " free ").append(sizes[i]);
        }
        return out.toString();
    }

    /** Records a walk into growing arrays. */
    private static final class Recorder implements EntryVisitor {
        int[] offsets = new int[16];
        int[] sizes = new int[16];
        boolean[] used = new boolean[16];
        int count;

        @Override
        public void visit(int offset, boolean isUsed, int size) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
                used = Arrays.copyOf(used, count * 2);
            }
            offsets[count] = offset;
            sizes[count] = size;
            used[count] = isUsed;
            count++;
        }
    }
}
