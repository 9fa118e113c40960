package io.github.emballoc.firstfit;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent model of heap-format.md for the property tests: the visited entries kept as a plain list
 * of objects, with no image, no header words and no shared code with {@link FirstFitAllocator}. The rules
 * are restated from the document, step by step, so that a mistake in the allocator's arithmetic shows up
 * as a disagreement.
 */
final class EntryListModel {

    /** One visited entry. */
    static final class Entry {
        final int offset;
        boolean used;
        int size;

        Entry(int offset, boolean used, int size) {
            this.offset = offset;
            this.used = used;
            this.size = size;
        }

        @Override
        public String toString() {
            return offset + (used ? " used " : " free ") + size;
        }
    }

    /** What a free did. */
    enum FreeResult { OK, DOUBLE_FREE, NOT_FOUND }

    final int capacity;
    final boolean best;
    final List<Entry> entries = new ArrayList<>();
    /** The header offset of the entry the last successful allocation took. */
    int lastEntry;

    EntryListModel(int capacity, boolean best) {
        this.capacity = capacity;
        this.best = best;
        entries.add(new Entry(0, false, capacity - 4));
    }

    /** Rebuilds a model from a walk of entries (for attaching). */
    EntryListModel(int capacity, boolean best, List<Entry> walked) {
        this.capacity = capacity;
        this.best = best;
        for (Entry e : walked) {
            entries.add(new Entry(e.offset, e.used, e.size));
        }
    }

    /** Returns the handle, or -1. */
    int allocate(int size, int align) {
        long request = align > 4 ? (long) size + align : size;
        if (request == 0) {
            request = 4;
        }
        long n = ((request + 3) / 4) * 4;
        int chosen = -1;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!e.used && e.size >= n) {
                if (!best) {
                    chosen = i;
                    break;
                }
                if (chosen < 0 || e.size < entries.get(chosen).size) {
                    chosen = i;
                }
            }
        }
        if (chosen < 0) {
            return -1;
        }
        Entry e = entries.get(chosen);
        int old = e.size;
        e.used = true;
        e.size = (int) n;
        if (old - n >= 4) {
            int restOffset = e.offset + 4 + (int) n;
            // an entry is visited only while offset + 4 < capacity
            if ((long) restOffset + 4 < capacity) {
                entries.add(chosen + 1, new Entry(restOffset, false, old - (int) n - 4));
            }
        }
        lastEntry = e.offset;
        long payload = e.offset + 4L;
        long aligned = ((payload + align - 1) / align) * align;
        return (int) aligned;
    }

    FreeResult free(int p) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long start = e.offset + 4L;
            if (p >= start && p < start + e.size) {
                if (!e.used) {
                    return FreeResult.DOUBLE_FREE;
                }
                e.used = false;
                if (i + 1 < entries.size() && !entries.get(i + 1).used) {
                    e.size = e.size + 4 + entries.get(i + 1).size;
                    entries.remove(i + 1);
                }
                return FreeResult.OK;
            }
        }
        return FreeResult.NOT_FOUND;
    }

    /** The header offset of the entry holding {@code p} in its payload, or -1. */
    int entryHolding(int p) {
        for (Entry e : entries) {
            if (p >= e.offset + 4L && p < e.offset + 4L + e.size) {
                return e.offset;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
