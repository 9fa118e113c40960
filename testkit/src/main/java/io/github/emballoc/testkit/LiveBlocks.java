package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference model of an allocator's live blocks: which byte ranges the caller owns (a Guava
 * {@link RangeSet}), and the pattern each block's payload holds. Every check names the block by the id the
 * test gave it.
 */
final class LiveBlocks {

    /** One live block. */
    static final class Block {
        final int id;
        final int handle;
        final int size;
        final int alignment;
        int index;

        Block(int id, int handle, int size, int alignment) {
            this.id = id;
            this.handle = handle;
            this.size = size;
            this.alignment = alignment;
        }

        /** The bytes the block owns; a zero-size block owns the byte at its handle, so that two never share one. */
        Range<Long> range() {
            return Range.closedOpen((long) handle, (long) handle + Math.max(size, 1));
        }

        @Override
        public String toString() {
            return "b" + id + " [" + handle + ", " + ((long) handle + size) + ") (size " + size + ", alignment "
                    + alignment + ")";
        }
    }

    private final Allocator allocator;
    private final RawHeap heap;
    private final RangeSet<Long> owned = TreeRangeSet.create();
    private final Map<Integer, Block> byId = new HashMap<>();
    private final List<Block> live = new ArrayList<>();
    private byte[] scratch = new byte[256];

    LiveBlocks(Allocator allocator) {
        this.allocator = allocator;
        this.heap = allocator.heap();
    }

    int count() {
        return live.size();
    }

    Block get(int id) {
        return byId.get(id);
    }

    Block at(int index) {
        return live.get(index);
    }

    Block random(SplittableRandom random) {
        return live.get(random.nextInt(live.size()));
    }

    List<Block> blocks() {
        return List.copyOf(live);
    }

    /**
     * Allocates {@code size} bytes aligned to {@code alignment} and checks the result against the model
     * (aligned, inside the heap, overlapping no live block); a block is written with its pattern.
     *
     * @return the new block, or {@code null} when the allocator returned {@link Allocator#NULL} (after checking
     *     that nothing changed)
     */
    Block allocate(int id, int size, int alignment) {
        HeapStats before = allocator.stats();
        int handle = allocator.allocate(size, alignment);
        if (handle == Allocator.NULL) {
            HeapStats after = allocator.stats();
            if (!after.equals(before)) {
                fail("allocate(" + size + ", " + alignment + ") returned NULL but changed the heap: stats went from "
                        + before + " to " + after);
            }
            return null;
        }
        return add(id, handle, size, alignment);
    }

    /** Checks a handle the allocator returned, records it and writes its pattern. */
    Block add(int id, int handle, int size, int alignment) {
        return add("allocate(" + size + ", " + alignment + ") for b" + id, id, handle, size, alignment);
    }

    private Block add(String request, int id, int handle, int size, int alignment) {
        if (handle < 0) {
            fail(request + " returned " + handle + ", neither NULL (-1) nor an offset");
        }
        if (handle % alignment != 0) {
            fail(request + " returned " + handle + ", which is not a multiple of " + alignment);
        }
        if ((long) handle + size > heap.capacity() || handle >= heap.capacity()) {
            fail(request + " returned " + handle + ": the block [" + handle + ", " + ((long) handle + size)
                    + ") leaves the heap of capacity " + heap.capacity());
        }
        Block block = new Block(id, handle, size, alignment);
        if (owned.intersects(block.range())) {
            fail(request + " returned " + handle + ": the block " + block + " overlaps live block(s) "
                    + overlapping(block));
        }
        owned.add(block.range());
        block.index = live.size();
        live.add(block);
        byId.put(id, block);
        writePattern(block);
        return block;
    }

    /**
     * Reallocates {@code block} and checks the result against the model: a block that can be resized in place
     * ({@link Walk#reallocatesInPlace}) keeps its handle, and with {@code image} the entries after it are those
     * the image rules give ({@link ImageRules}); the first {@code min(old, new)} bytes of the payload are kept;
     * the block is aligned, inside the heap and overlaps no other live block, and its usable size holds the new
     * size. The block's pattern is then written over its new size.
     *
     * @return the block after the call (same id, possibly a new handle), or {@code null} when the allocator
     *     returned {@link Allocator#NULL} (after checking that the entries did not change and the old block is
     *     intact and still in the model)
     */
    Block reallocate(Block block, int size, int alignment, boolean image) {
        checkPattern(block, "before reallocating it");
        Walk before = Walk.of(allocator);
        boolean inPlace = before.reallocatesInPlace(block.handle, size, alignment);
        List<Walk.Entry> predicted = image
                ? ImageRules.reallocatedInPlace(before, heap.capacity(), block.handle, size, alignment) : null;
        String call = "reallocate(" + block.handle + ", " + size + ", " + alignment + ") of " + block;
        int handle;
        try {
            handle = allocator.reallocate(block.handle, size, alignment);
        } catch (RuntimeException e) {
            throw new AssertionError(call + " threw " + e + "; walk before: " + before, e);
        }
        if (handle == Allocator.NULL) {
            if (inPlace) {
                fail(call + " returned NULL, but the block can be resized in place (its entry, or its entry and the"
                        + " free entry right after it, hold " + size + " bytes from the handle); walk before: " + before);
            }
            Walk after = Walk.of(allocator);
            if (!after.sameEntries(before)) {
                fail(call + " returned NULL but changed the entries from " + before + " to " + after);
            }
            checkPattern(block, "after " + call + " returned NULL");
            return null;
        }
        if (inPlace && handle != block.handle) {
            fail(call + " moved the block to " + handle + ", but it can be resized in place (its entry, or its entry"
                    + " and the free entry right after it, hold " + size + " bytes from the handle); walk before: "
                    + before);
        }
        if (predicted != null) {
            List<Walk.Entry> actual = Walk.of(allocator).entries();
            if (!actual.equals(predicted)) {
                fail(call + " in place left the entries " + actual + ", the image rules give " + predicted
                        + "; walk before: " + before);
            }
        }
        int kept = Math.min(block.size, size);
        if (handle >= 0 && (long) handle + kept <= heap.capacity()) {
            byte[] bytes = scratch(kept);
            heap.getBytes(handle, bytes, 0, kept);
            for (int i = 0; i < kept; i++) {
                if (bytes[i] != patternByte(block.id, i)) {
                    fail(call + " returned " + handle + " but lost the payload: byte " + i + " (offset "
                            + (handle + i) + ") is " + Checks.hex(bytes[i]) + ", the block held "
                            + Checks.hex(patternByte(block.id, i)) + " there (the first " + kept
                            + " bytes must be kept)");
                }
            }
        }
        remove(block);
        Block moved = add(call + " (returned " + handle + ")", block.id, handle, size, alignment);
        int usable;
        try {
            usable = allocator.usableSize(handle);
        } catch (RuntimeException e) {
            throw new AssertionError(call + " returned " + handle + ", which usableSize refuses (" + e + "): the handle"
                    + " names no block any more; walk: " + Walk.of(allocator), e);
        }
        if (usable < size) {
            fail(call + " returned " + handle + " whose usableSize is " + usable + ", less than " + size);
        }
        return moved;
    }

    /**
     * Calls {@code coalesce()} and checks it against the walk before: it returns the number of free entries
     * that had a free neighbour before them, and leaves every run of neighbouring free entries as one entry.
     *
     * @return what {@code coalesce()} returned
     */
    int coalesce() {
        Walk before = Walk.of(allocator);
        int expected = before.neighbouringFreeEntries();
        List<Walk.Entry> entries = before.coalesced();
        int merges = allocator.coalesce();
        if (merges != expected) {
            fail("coalesce() returned " + merges + ", but the walk before it has " + expected
                    + " free entries right after another free entry: " + before);
        }
        List<Walk.Entry> after = Walk.of(allocator).entries();
        if (!after.equals(entries)) {
            fail("coalesce() left the entries " + after + ", expected every run of neighbouring free entries merged: "
                    + entries + "; walk before: " + before);
        }
        return merges;
    }

    /** Removes {@code block} from the model (after the allocator freed it). */
    void remove(Block block) {
        owned.remove(block.range());
        Block last = live.remove(live.size() - 1);
        if (last != block) {
            live.set(block.index, last);
            last.index = block.index;
        }
        byId.remove(block.id);
    }

    private String overlapping(Block block) {
        StringBuilder out = new StringBuilder();
        for (Block other : live) {
            if (other.range().isConnected(block.range()) && !other.range().intersection(block.range()).isEmpty()) {
                out.append(out.length() == 0 ? "" : ", ").append(other);
            }
        }
        return out.toString();
    }

    static byte patternByte(int id, int i) {
        return (byte) (id * 0x3B + i * 5 + (i >>> 8) * 0x1D + 0x11);
    }

    void writePattern(Block block) {
        byte[] bytes = scratch(block.size);
        for (int i = 0; i < block.size; i++) {
            bytes[i] = patternByte(block.id, i);
        }
        heap.putBytes(block.handle, bytes, 0, block.size);
    }

    /** Fails, naming the block and the first changed byte, unless its payload still holds its pattern. */
    void checkPattern(Block block, String context) {
        byte[] bytes = scratch(block.size);
        heap.getBytes(block.handle, bytes, 0, block.size);
        for (int i = 0; i < block.size; i++) {
            if (bytes[i] != patternByte(block.id, i)) {
                fail(context + ": the payload of live block " + block + " changed: byte " + i + " (offset "
                        + (block.handle + i) + ") is " + Checks.hex(bytes[i]) + ", the caller wrote "
                        + Checks.hex(patternByte(block.id, i)));
            }
        }
    }

    void checkAllPatterns(String context) {
        for (Block block : live) {
            checkPattern(block, context);
        }
    }

    /**
     * Checks that the walk, stats and verify agree with each other and with the model: every live block lies
     * in the payload of its own used entry, there are as many used entries as live blocks, and the entries are
     * ordered, disjoint and inside the heap.
     */
    void checkAgreement(String context, boolean image) {
        int capacity = heap.capacity();
        Walk walk = Walk.of(allocator);
        walk.checkStructure(capacity, context);
        if (image) {
            walk.checkImage(heap, context);
        }
        boolean[] claimed = new boolean[walk.count()];
        for (Block block : live) {
            int entry = walk.entryHolding(block.handle, (long) block.handle + Math.max(block.size, 1));
            if (entry < 0 || !walk.used(entry)) {
                fail(context + ": live block " + block + " is not inside the payload of a used entry"
                        + (entry < 0 ? "" : " (it lies in the free entry " + walk.describe(entry) + ")")
                        + "; walk: " + walk);
            }
            if (claimed[entry]) {
                fail(context + ": live block " + block + " shares the used entry " + walk.describe(entry)
                        + " with another live block; walk: " + walk);
            }
            claimed[entry] = true;
        }
        if (walk.usedCount() != live.size()) {
            fail(context + ": the walk reports " + walk.usedCount() + " used entries but " + live.size()
                    + " blocks are live; walk: " + walk);
        }
        for (Block block : live) {
            int entry = walk.entryHolding(block.handle, (long) block.handle + Math.max(block.size, 1));
            long expected = walk.payloadEnd(entry) - block.handle;
            int usable;
            try {
                usable = allocator.usableSize(block.handle);
            } catch (RuntimeException e) {
                throw new AssertionError(context + ": usableSize(" + block.handle + ") of live block " + block
                        + " threw " + e + "; walk: " + walk, e);
            }
            if (usable != expected) {
                fail(context + ": usableSize(" + block.handle + ") of live block " + block + " is " + usable
                        + ", but its entry " + walk.describe(entry) + " holds " + expected
                        + " bytes from the handle (the end of its payload minus the handle); walk: " + walk);
            }
        }
        HeapStats walked = walk.stats(capacity);
        HeapStats stats = allocator.stats();
        if (!walked.equals(stats)) {
            fail(context + ": stats() returned " + stats + " but the walk adds up to " + walked);
        }
        try {
            allocator.verify();
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": verify() threw on a heap the model says is sound: " + e
                    + "; walk: " + walk, e);
        }
    }

    /**
     * Fails unless the heap, with no block live, is one free entry: the fresh heap's (equal statistics), or, with
     * emballoc's image, the fresh heap's entry 4 bytes short with the never-visited zero-size entry in the last 4
     * bytes (a split that left exactly 4 bytes at the end wrote it, and no operation can reclaim it).
     */
    void checkFullyCoalesced(HeapStats fresh, boolean image, String context) {
        Walk walk = Walk.of(allocator);
        HeapStats stats = allocator.stats();
        if (stats.equals(fresh)) {
            return;
        }
        boolean shortByTail = image && walk.count() == 1 && !walk.used(0) && walk.offset(0) == 0
                && walk.payloadEnd(0) == heap.capacity() - Walk.HEADER
                && walk.size(0) == fresh.largestFree() - Walk.HEADER;
        if (!shortByTail) {
            fail(context + ": the stats are " + stats + ", not those of the fresh heap " + fresh + " (nor one free entry"
                    + " ending at the never-visited 4-byte entry); an allocator that declares COALESCES_FULLY merges"
                    + " every free neighbour; walk: " + walk);
        }
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }
}
