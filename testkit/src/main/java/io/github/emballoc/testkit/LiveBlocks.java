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
        String request = "allocate(" + size + ", " + alignment + ") for b" + id;
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

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }
}
