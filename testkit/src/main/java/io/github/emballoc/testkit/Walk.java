package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries one {@link Allocator#walk} reported (recorded by {@link EntryList}), with the checks every
 * contract makes of them.
 */
final class Walk {

    /** Bytes of one entry header, as {@link HeapStats} counts them. */
    static final int HEADER = HeaderDescriptor.HEADER_LENGTH;

    /** One entry as a value, for comparing a walk with the entries a rule predicts. */
    record Entry(int offset, boolean used, int size) {
        long payloadEnd() {
            return (long) offset + HEADER + size;
        }

        @Override
        public String toString() {
            return offset + (used ? " used " : " free ") + size;
        }
    }

    private final EntryList list;
    private final int count;

    private Walk(EntryList list) {
        this.list = list;
        this.count = list.count();
    }

    /** Walks {@code allocator} and returns what it reported. */
    static Walk of(Allocator allocator) {
        return new Walk(EntryList.of(allocator));
    }

    int count() {
        return count;
    }

    int offset(int i) {
        return list.offset(i);
    }

    int size(int i) {
        return list.size(i);
    }

    boolean used(int i) {
        return list.used(i);
    }

    /** The first payload byte of entry {@code i}. */
    long payloadStart(int i) {
        return (long) list.offset(i) + HEADER;
    }

    /** One past the last payload byte of entry {@code i}. */
    long payloadEnd(int i) {
        return (long) list.offset(i) + HEADER + list.size(i);
    }

    Entry entry(int i) {
        return new Entry(list.offset(i), list.used(i), list.size(i));
    }

    /** The entries as values, in walk order. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(entry(i));
        }
        return entries;
    }

    /** The used entries as values, in walk order. */
    List<Entry> usedEntries() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (list.used(i)) {
                entries.add(entry(i));
            }
        }
        return entries;
    }

    /**
     * How many entries {@code coalesce()} must absorb: in every run of neighbouring free entries (one after
     * the other in walk order), every entry but the first.
     */
    int neighbouringFreeEntries() {
        int merges = 0;
        for (int i = 1; i < count; i++) {
            if (!list.used(i) && !list.used(i - 1)) {
                merges++;
            }
        }
        return merges;
    }

    /**
     * The entries {@code coalesce()} must leave: every run of neighbouring free entries replaced by one free
     * entry from the run's first header to the end of its last payload; every other entry as it is.
     */
    List<Entry> coalesced() {
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int last = i;
            while (!list.used(i) && last + 1 < count && !list.used(last + 1)) {
                last++;
            }
            entries.add(new Entry(list.offset(i), list.used(i), (int) (payloadEnd(last) - payloadStart(i))));
            i = last;
        }
        return entries;
    }

    /**
     * Tells whether a reallocation of the block at {@code handle} to {@code size} bytes aligned to
     * {@code alignment} must stay in place ({@link Allocator#reallocate(int, int, int)}): the handle is aligned,
     * and the bytes it needs end inside its own entry's payload, or inside the payload of the free entry right
     * after it.
     *
     * @return whether it must keep its handle; {@code false} also when no used entry holds the handle
     */
    boolean reallocatesInPlace(int handle, int size, int alignment) {
        int i = entryHolding(handle, (long) handle + 1);
        if (i < 0 || !list.used(i) || handle % alignment != 0) {
            return false;
        }
        long end = (long) handle + Math.max(size, 1);
        return end <= payloadEnd(i) || (i + 1 < count && !list.used(i + 1) && end <= payloadEnd(i + 1));
    }

    /** Whether two visited free entries are neighbours in walk order; returns the first such pair, or null. */
    String neighbouringFreePair() {
        for (int i = 1; i < count; i++) {
            if (!list.used(i) && !list.used(i - 1)) {
                return describe(i - 1) + " and " + describe(i);
            }
        }
        return null;
    }

    int usedCount() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (list.used(i)) {
                n++;
            }
        }
        return n;
    }

    /** Adds the entries up as {@link HeapStats.Accumulator} does. */
    HeapStats stats(int capacity) {
        HeapStats.Accumulator accumulator = new HeapStats.Accumulator();
        for (int i = 0; i < count; i++) {
            accumulator.visit(list.offset(i), list.used(i), list.size(i));
        }
        return accumulator.toStats(capacity);
    }

    /**
     * Returns the index of the entry whose payload holds {@code [start, end)}, or -1.
     */
    int entryHolding(long start, long end) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {                       // last entry whose payload starts at or before start
            int mid = (lo + hi) >>> 1;
            if (payloadStart(mid) <= start) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && end <= payloadEnd(found) ? found : -1;
    }

    /**
     * Checks what any allocator's walk must be: entries in increasing order of offset, each (header and
     * payload) inside the heap, none overlapping the next.
     */
    void checkStructure(int capacity, String context) {
        long previousEnd = 0;
        for (int i = 0; i < count; i++) {
            if (list.size(i) < 0 || list.offset(i) < 0) {
                fail(context + ": walk reported entry " + describe(i) + " with a negative offset or size; walk: "
                        + this);
            }
            if (list.offset(i) < previousEnd) {
                fail(context + ": walk reported entry " + describe(i) + " overlapping or before the previous one"
                        + " (which ends at " + previousEnd + "); walk: " + this);
            }
            if (payloadEnd(i) > capacity) {
                fail(context + ": walk reported entry " + describe(i) + " ending at " + payloadEnd(i)
                        + ", past the capacity " + capacity + "; walk: " + this);
            }
            previousEnd = payloadEnd(i);
        }
    }

    /**
     * Checks the emballoc image rules: entries tile the heap from offset 0, sizes are multiples of 4, the
     * walk ends at {@code capacity} or {@code capacity - 4}, and the header word in the heap at each offset
     * is {@code (size << 1) | used} in the heap's byte order.
     */
    void checkImage(RawHeap heap, String context) {
        int capacity = heap.capacity();
        long expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            if (list.offset(i) != expectedOffset) {
                fail(context + ": entry " + i + " is at offset " + list.offset(i) + ", expected " + expectedOffset
                        + " (entries must follow each other from offset 0); walk: " + this);
            }
            if (list.size(i) % HeaderDescriptor.GRANULE != 0) {
                fail(context + ": entry " + describe(i) + " has a size that is not a multiple of 4; walk: " + this);
            }
            int expectedWord = HeaderDescriptor.word(list.size(i), list.used(i));
            int word = heap.getInt(list.offset(i));
            if (word != expectedWord) {
                fail(context + ": the header at offset " + list.offset(i) + " holds 0x" + Integer.toHexString(word)
                        + ", expected 0x" + Integer.toHexString(expectedWord) + " (" + describe(i) + ", word = size << 1"
                        + " | used, in " + heap.order() + "); walk: " + this);
            }
            expectedOffset = payloadEnd(i);
        }
        if (expectedOffset != capacity && expectedOffset != capacity - HEADER) {
            fail(context + ": the walk ends at " + expectedOffset + ", expected " + capacity + " or "
                    + (capacity - HEADER) + "; walk: " + this);
        }
    }

    String describe(int i) {
        return list.offset(i) + (list.used(i) ? " used " : " free ") + list.size(i);
    }

    boolean sameEntries(Walk other) {
        return list.sameEntries(other.list);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("[");
        int shown = Math.min(count, 48);
        for (int i = 0; i < shown; i++) {
            out.append(i == 0 ? "" : ", ").append(describe(i));
        }
        if (shown < count) {
            out.append(", ... ").append(count - shown).append(" more");
        }
        return out.append(']').toString();
    }
}
