package io.github.emballoc.firstfit;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent model of heap-format.md for the property tests: the visited entries kept as a plain list
 * of objects, with no image, no header words and no shared code with {@link FirstFitAllocator}. The rules
 * are restated from the document, step by step (and, for the operations this project adds, from the
 * {@code io.github.emballoc.api.image} package description), so that a mistake in the allocator's arithmetic
 * shows up as a disagreement. It restates the header size and the rounding rule on purpose.
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
    /** Coalescing.BOTH: a free also merges into a free entry right before. */
    final boolean both;
    final List<Entry> entries = new ArrayList<>();
    /** The header offset of the entry the last successful allocation took. */
    int lastEntry;

    EntryListModel(int capacity, boolean best, boolean both) {
        this.capacity = capacity;
        this.best = best;
        this.both = both;
        entries.add(new Entry(0, false, capacity - 4));
    }

    /** Rebuilds a model from a walk of entries (for attaching). */
    EntryListModel(int capacity, boolean best, boolean both, List<Entry> walked) {
        this.capacity = capacity;
        this.best = best;
        this.both = both;
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
        int i = indexHolding(p);
        if (i < 0) {
            return FreeResult.NOT_FOUND;
        }
        if (!entries.get(i).used) {
            return FreeResult.DOUBLE_FREE;
        }
        release(i);
        return FreeResult.OK;
    }

    /** Frees the used entry at index i by the free rule: merge the next free entry, and with both the previous. */
    private void release(int i) {
        Entry e = entries.get(i);
        e.used = false;
        if (i + 1 < entries.size() && !entries.get(i + 1).used) {
            e.size = e.size + 4 + entries.get(i + 1).size;
            entries.remove(i + 1);
        }
        if (both && i > 0 && !entries.get(i - 1).used) {
            Entry before = entries.get(i - 1);
            before.size = before.size + 4 + e.size;
            entries.remove(i);
        }
    }

    private int indexHolding(int p) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long start = e.offset + 4L;
            if (p >= start && p < start + e.size) {
                return i;
            }
        }
        return -1;
    }

    /** usableSize: the bytes from p to the end of the used entry holding it; -1 not found, -2 a free entry. */
    int usableSize(int p) {
        int i = indexHolding(p);
        if (i < 0) {
            return -1;
        }
        Entry e = entries.get(i);
        return e.used ? (int) (e.offset + 4L + e.size - p) : -2;
    }

    /** What a reallocate did, beside the handle. */
    enum ReallocResult { IN_PLACE, MOVED, FAILED, DOUBLE_FREE, NOT_FOUND }

    /** The handle the last {@link #reallocate} returned. */
    int reallocated;

    ReallocResult reallocate(int p, int size, int align) {
        int i = indexHolding(p);
        if (i < 0) {
            return ReallocResult.NOT_FOUND;
        }
        Entry e = entries.get(i);
        if (!e.used) {
            return ReallocResult.DOUBLE_FREE;
        }
        long payload = e.offset + 4L;
        if (p % align == 0) {
            long need = (p - payload + Math.max(size, 1) + 3) / 4 * 4; // the handle stays inside, even for 0
            Entry next = i + 1 < entries.size() ? entries.get(i + 1) : null;
            if (need <= e.size) {
                long rest = e.size - need;
                if (rest >= 4) {
                    long tailOffset = payload + need;
                    long tailSize = rest - 4;
                    e.size = (int) need;
                    if (next != null && !next.used) {
                        tailSize += 4 + next.size;
                        entries.remove(i + 1);
                    }
                    if (tailOffset + 4 < capacity) {
                        entries.add(i + 1, new Entry((int) tailOffset, false, (int) tailSize));
                    }
                }
                reallocated = p;
                return ReallocResult.IN_PLACE;
            }
            if (next != null && !next.used && e.size + 4L + next.size >= need) {
                long total = e.size + 4L + next.size;
                entries.remove(i + 1);
                if (total - need >= 4) {
                    e.size = (int) need;
                    long restOffset = payload + need;
                    if (restOffset + 4 < capacity) {
                        entries.add(i + 1, new Entry((int) restOffset, false, (int) (total - need - 4)));
                    }
                } else {
                    e.size = (int) total;
                }
                reallocated = p;
                return ReallocResult.IN_PLACE;
            }
        }
        int moved = allocate(size, align);
        if (moved < 0) {
            return ReallocResult.FAILED;
        }
        int oldOffset = e.offset;
        for (int j = 0; j < entries.size(); j++) {
            if (entries.get(j).offset == oldOffset) {
                release(j);
                break;
            }
        }
        reallocated = moved;
        return ReallocResult.MOVED;
    }

    /** Merges every run of neighbouring free entries; returns how many entries were absorbed. */
    int coalesce() {
        int merges = 0;
        for (int i = 0; i + 1 < entries.size(); ) {
            Entry e = entries.get(i);
            Entry next = entries.get(i + 1);
            if (!e.used && !next.used) {
                e.size = e.size + 4 + next.size;
                entries.remove(i + 1);
                merges++;
            } else {
                i++;
            }
        }
        return merges;
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
