package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryVisitor;
import java.util.Arrays;

/** The entries of a heap, in walk order, as recorded by one walk. */
final class Entries implements EntryVisitor {

    private int[] offsets = new int[16];
    private int[] sizes = new int[16];
    private boolean[] used = new boolean[16];
    private int count;

    /** Walks the allocator's heap and records its entries. */
    static Entries of(Allocator allocator) {
        Entries entries = new Entries();
        allocator.walk(entries);
        return entries;
    }

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

    int count() {
        return count;
    }

    int offset(int i) {
        return offsets[i];
    }

    int size(int i) {
        return sizes[i];
    }

    boolean used(int i) {
        return used[i];
    }

    /** Returns the index of the entry whose header is at {@code offset}, or -1. */
    int indexAt(int offset) {
        int i = Arrays.binarySearch(offsets, 0, count, offset);
        return i >= 0 ? i : -1;
    }

    /** Returns the index of the entry whose payload holds {@code offset}, or -1. */
    int indexHolding(int offset) {
        for (int i = 0; i < count; i++) {
            if (offset >= offsets[i] + 4 && offset < offsets[i] + 4 + sizes[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the entries in the replay format, {@code e OFFSET used|free SIZE}, one a line. */
    void writeReplayLines(StringBuilder out) {
        for (int i = 0; i < count; i++) {
            out.append("e ").append(offsets[i]).append(used[i] ? " used " : " free ").append(sizes[i]).append('\n');
        }
    }

    /** Returns the entries on one line: {@code 0 used 8, 12 free 16}. */
    String oneLine() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(offsets[i]).append(used[i] ? " used " : " free ").append(sizes[i]);
        }
        return out.toString();
    }

    /** Returns whether two walks saw the same entries. */
    boolean sameAs(Entries other) {
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
}
