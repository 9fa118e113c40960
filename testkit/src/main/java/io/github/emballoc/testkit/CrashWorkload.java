package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Assertions;

/**
 * The engine of {@link CrashConsistencyContract}: a session of operations on an allocator built over a
 * {@link WriteRecordingHeap}, in which every operation of the kind under test has its writes recorded and
 * every prefix of them applied to a copy of the image from before it, attached to by a new allocator and
 * checked. The copy is one heap from the contract's {@code newHeap}, reset for each prefix.
 *
 * <p>What a prefix of {@code k} writes must leave (the rules of {@code io.github.emballoc.api.image}):
 * <ol>
 *   <li>an image a new allocator attaches to and verifies;</li>
 *   <li>every block live before the operation still a used entry holding its bytes unchanged: all of them,
 *       except that a block being reallocated keeps its first {@code min(old, new)} bytes, and a block being
 *       freed may be gone once the free happened;</li>
 *   <li>the used entries of the image before the operation, or those of the image after it: the operation
 *       happened or did not (a moving reallocation may also leave both blocks, the new one allocated and the
 *       old one not yet freed);</li>
 *   <li>with {@link AllocatorFeature#EMBALLOC_IMAGE_FORMAT}, all entries, free ones too, as before or as after
 *       (one write makes each operation happen), in that order; a moving reallocation may show one state
 *       between (its allocation made, its free not yet); {@code coalesce()} shows each run merged or not.</li>
 * </ol>
 */
final class CrashWorkload {

    /** The operations the rules check, one rule each. */
    enum Focus {
        ALLOCATE("W1", "allocate"),
        FREE("W2", "free"),
        REALLOCATE_IN_PLACE("W3", "reallocate in place"),
        REALLOCATE_MOVING("W4", "moving reallocate"),
        COALESCE("W5", "coalesce()");

        final String rule;
        final String what;

        Focus(String rule, String what) {
            this.rule = rule;
            this.what = what;
        }
    }

    /** Heap sizes a random sequence runs on, chosen by its seed: small heaps fill up and make moves fail. */
    private static final int[] CAPACITIES = {256, 1024, 4096};

    private CrashWorkload() {
    }

    static int capacityFor(long seed) {
        return CAPACITIES[(int) Math.floorMod(seed ^ (seed >>> 31), CAPACITIES.length)];
    }

    /** A live block as the session's user sees it. */
    static final class Block {
        final int id;
        final int handle;
        final int size;

        Block(int id, int handle, int size) {
            this.id = id;
            this.handle = handle;
            this.size = size;
        }

        @Override
        public String toString() {
            return "b" + id + " [" + handle + ", " + ((long) handle + size) + ")";
        }
    }

    /** One allocator over a recording heap, the blocks it handed out, and the prefix checks. */
    static final class Session {
        private final CrashConsistencyContract contract;
        private final Focus focus;
        private final String origin;
        private final String replay;
        private final boolean image;
        private final boolean inside;
        private final WriteRecordingHeap heap;
        private final RawHeap copy;
        private final Allocator allocator;
        private final int capacity;
        private final List<Block> live = new ArrayList<>();
        private int nextId;
        private int operations;
        int checkedOperations;

        Session(CrashConsistencyContract contract, Set<AllocatorFeature> features, Focus focus, int capacity,
                String origin, String replay) throws Exception {
            this.contract = contract;
            this.focus = focus;
            this.origin = origin;
            this.replay = replay;
            this.image = features.contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
            this.inside = features.contains(AllocatorFeature.FREE_INSIDE_BLOCK);
            this.capacity = capacity;
            this.heap = new WriteRecordingHeap(contract.newHeap(capacity));
            this.copy = contract.newHeap(capacity);
            this.allocator = contract.newAllocator(heap);
        }

        int count() {
            return live.size();
        }

        Block random(SplittableRandom random) {
            return live.get(random.nextInt(live.size()));
        }

        /** Allocates; a new block is filled by the user (not recorded) with {@code fill}, or random bytes. */
        Block allocate(int size, int alignment, SplittableRandom random, int fill) {
            String call = "allocate(" + size + ", " + alignment + ")";
            int handle = perform(Focus.ALLOCATE, call, null, -1, () -> allocator.allocate(size, alignment));
            return handle == Allocator.NULL ? null : added(call, handle, size, random, fill);
        }

        /** Reallocates {@code NULL}, which allocates (and is checked as an allocation). */
        Block allocateByReallocate(int size, int alignment, SplittableRandom random) {
            String call = "reallocate(NULL, " + size + ", " + alignment + ")";
            int handle = perform(Focus.ALLOCATE, call, null, -1,
                    () -> allocator.reallocate(Allocator.NULL, size, alignment));
            return handle == Allocator.NULL ? null : added(call, handle, size, random, -1);
        }

        void free(Block block, int delta) {
            String call = "free(" + (block.handle + delta) + ") of " + block;
            perform(Focus.FREE, call, block, -1, () -> {
                allocator.free(block.handle + delta);
                return 0;
            });
            live.remove(block);
        }

        void reallocate(Block block, int size, int alignment, SplittableRandom random) {
            String call = "reallocate(" + block.handle + ", " + size + ", " + alignment + ") of " + block;
            int handle = perform(null, call, block, size, () -> allocator.reallocate(block.handle, size, alignment));
            if (handle == Allocator.NULL) {
                return;
            }
            live.remove(block);
            Block moved = new Block(block.id, handle, size);
            checkInside(call, moved);
            live.add(moved);
            int kept = Math.min(block.size, size);
            if (size > kept) {
                byte[] bytes = new byte[size - kept];
                random.nextBytes(bytes);
                heap.putBytes(handle + kept, bytes, 0, bytes.length);
            }
        }

        void coalesce() {
            perform(Focus.COALESCE, "coalesce()", null, -1, allocator::coalesce);
        }

        private Block added(String call, int handle, int size, SplittableRandom random, int fill) {
            Block block = new Block(nextId++, handle, size);
            checkInside(call, block);
            live.add(block);
            if (fill >= 0) {
                heap.fill(handle, size, (byte) fill);
            } else {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                heap.putBytes(handle, bytes, 0, size);
            }
            return block;
        }

        private void checkInside(String call, Block block) {
            if (block.handle < 0 || (long) block.handle + block.size > capacity) {
                fail(origin + ": " + call + " returned " + block.handle + ", a block that leaves the heap of "
                        + capacity + " bytes");
            }
        }

        /**
         * Runs one operation with its writes recorded and, when it is of the kind under test, checks every prefix.
         *
         * @param kind the kind, or {@code null} for a reallocation (in place or moving, told by its result)
         * @param target the live block the operation frees or reallocates, or {@code null}
         * @param newSize the size a reallocation asks for
         */
        private int perform(Focus kind, String call, Block target, int newSize, IntSupplier operation) {
            int index = operations++;
            byte[] before = Checks.snapshot(heap.delegate());
            Walk walkBefore = Walk.of(allocator);
            heap.startRecording();
            int result;
            try {
                result = operation.getAsInt();
            } catch (RuntimeException e) {
                heap.stopRecording();
                throw new AssertionError(origin + ", operation " + index + ": " + call + " threw " + e + " (entries "
                        + walkBefore + ")", e);
            }
            List<WriteRecordingHeap.Write> writes = heap.stopRecording();
            Walk walkAfter = Walk.of(allocator);
            Focus actual = kind != null ? kind
                    : result == target.handle ? Focus.REALLOCATE_IN_PLACE : Focus.REALLOCATE_MOVING;
            if (actual == focus) {
                new Check(this, index, call + " -> " + (result == Allocator.NULL ? "NULL" : Integer.toString(result)),
                        actual, target, newSize, result, before, writes, walkBefore, walkAfter).run();
                checkedOperations++;
            }
            return result;
        }
    }

    /** The prefix checks of one operation. */
    private static final class Check {
        private final Session session;
        private final int index;
        private final String call;
        private final Focus kind;
        private final Block target;
        private final int newSize;
        private final int result;
        private final byte[] before;
        private final List<WriteRecordingHeap.Write> writes;
        private final Walk shownBefore;
        private final Walk shownAfter;
        private Walk first;
        private Walk last;
        private Walk.Entry created;

        Check(Session session, int index, String call, Focus kind, Block target, int newSize, int result,
              byte[] before, List<WriteRecordingHeap.Write> writes, Walk shownBefore, Walk shownAfter) {
            this.session = session;
            this.index = index;
            this.call = call;
            this.kind = kind;
            this.target = target;
            this.newSize = newSize;
            this.result = result;
            this.before = before;
            this.writes = writes;
            this.shownBefore = shownBefore;
            this.shownAfter = shownAfter;
        }

        void run() {
            byte[] after = Checks.snapshot(session.heap.delegate());
            byte[] replayed = WriteRecordingHeap.applied(before, writes);
            int differs = Arrays.mismatch(replayed, after);
            if (differs >= 0) {
                fail(-1, "the heap after it differs at offset " + differs + " from the image its recorded writes"
                        + " give: it wrote without a RawHeap call the recording heap saw (through a view, or by"
                        + " keeping the heap's array or buffer)");
            }
            boolean failedCall = result == Allocator.NULL && kind != Focus.FREE && kind != Focus.COALESCE;
            if (failedCall && !writes.isEmpty()) {
                fail(-1, "it returned NULL, so it must write nothing, but it made " + writes.size() + " write(s)");
            }
            Walk[] walks = new Walk[writes.size() + 1];
            byte[][] images = new byte[writes.size() + 1][];
            for (int k = 0; k <= writes.size(); k++) {
                walks[k] = attach(k);
                images[k] = Checks.snapshot(session.copy);
            }
            first = walks[0];
            last = walks[writes.size()];
            if (kind == Focus.REALLOCATE_MOVING && result != Allocator.NULL) {
                int entry = last.entryHolding(result, (long) result + 1);
                created = entry >= 0 ? last.entry(entry) : null;
            }
            int stage = 0;
            Walk between = null;
            for (int k = 0; k <= writes.size(); k++) {
                checkBlocks(k, walks[k], images[k]);
                checkHappenedOrNot(k, walks[k]);
                if (session.image) {
                    if (kind == Focus.COALESCE) {
                        checkRunsMergedOrNot(k, walks[k]);
                    } else {
                        int now = stage(k, walks[k], between);
                        if (now == 1 && between == null) {
                            between = walks[k];
                        }
                        if (now < stage) {
                            fail(k, "its entries went back to an earlier state: " + walks[k]);
                        }
                        stage = now;
                    }
                }
            }
        }

        /** Attaches a new allocator to the image before the operation with the first {@code k} writes applied. */
        private Walk attach(int k) {
            RawHeap copy = session.copy;
            copy.putBytes(0, before, 0, before.length);
            for (int i = 0; i < k; i++) {
                writes.get(i).applyTo(copy);
            }
            Walk walk;
            try {
                Allocator attached = session.contract.newAllocator(copy);
                attached.verify();
                walk = Walk.of(attached);
            } catch (RuntimeException e) {
                fail(k, "the image does not attach: " + e);
                return null;
            }
            try {
                walk.checkStructure(session.capacity, "the walk");
                if (session.image) {
                    walk.checkImage(copy, "the walk");
                }
            } catch (AssertionError e) {
                fail(k, "the image is not sound: " + e.getMessage());
            }
            return walk;
        }

        /** Every block live before is still a used entry with its bytes (see the class description). */
        private void checkBlocks(int k, Walk walk, byte[] image) {
            for (Block block : session.live) {
                int bytes = block.size;
                if (block == target) {
                    boolean gone = kind == Focus.FREE || kind == Focus.REALLOCATE_MOVING;
                    if (gone && walk.usedEntries().equals(last.usedEntries()) && !first.usedEntries().equals(
                            last.usedEntries())) {
                        if (created != null) {
                            checkCopied(k, image);     // moved: the new block must hold the bytes by now
                        }
                        continue;                      // freed, as the operation does
                    }
                    if (kind != Focus.FREE && result != Allocator.NULL) {
                        bytes = Math.min(block.size, newSize);
                    }
                }
                int entry = walk.entryHolding(block.handle, (long) block.handle + Math.max(bytes, 1));
                if (entry < 0 || !walk.used(entry)) {
                    fail(k, "the block " + block + ", live before the operation, is lost: "
                            + (entry < 0 ? "no entry holds it" : "it lies in the free entry " + walk.describe(entry))
                            + "; entries " + walk);
                }
                int changed = Arrays.mismatch(image, block.handle, block.handle + bytes, before, block.handle,
                        block.handle + bytes);
                if (changed >= 0) {
                    fail(k, "the block " + block + ", live before the operation, changed: its byte " + changed
                            + " (offset " + (block.handle + changed) + ") is " + Checks.hex(image[block.handle + changed])
                            + ", was " + Checks.hex(before[block.handle + changed]));
                }
            }
        }

        /** Once a moving reallocation freed the old block, the new one holds its first {@code min(old, new)} bytes. */
        private void checkCopied(int k, byte[] image) {
            int bytes = Math.min(target.size, newSize);
            int changed = Arrays.mismatch(image, result, result + bytes, before, target.handle, target.handle + bytes);
            if (changed >= 0) {
                fail(k, "the block " + target + " is freed, but the block it moved to at " + result + " does not hold"
                        + " its bytes yet: byte " + changed + " is " + Checks.hex(image[result + changed]) + ", was "
                        + Checks.hex(before[target.handle + changed]) + " (copy before freeing the old block)");
            }
        }

        /** The used entries are those before or after the operation (or, moving, both blocks). */
        private void checkHappenedOrNot(int k, Walk walk) {
            List<Walk.Entry> used = walk.usedEntries();
            if (used.equals(first.usedEntries()) || used.equals(last.usedEntries())) {
                return;
            }
            if (created != null && used.equals(bothBlocks())) {
                return;                                // moving: allocated, the old block not yet freed
            }
            fail(k, "the operation neither happened nor did not: the used entries are " + used + "; before it "
                    + first.usedEntries() + ", after it " + last.usedEntries()
                    + (created != null ? " (or those before it and " + created + ")" : ""));
        }

        /**
         * Which state a walk shows: 0 before, 2 after, 1 the one state between that a moving reallocation may
         * show (its allocation made, used entries before and the new one); fails for any other.
         */
        private int stage(int k, Walk walk, Walk between) {
            List<Walk.Entry> entries = walk.entries();
            if (entries.equals(first.entries())) {
                return 0;
            }
            if (entries.equals(last.entries())) {
                return 2;
            }
            if (created != null && (between == null || entries.equals(between.entries()))
                    && walk.usedEntries().equals(bothBlocks())) {
                return 1;
            }
            fail(k, "its entries are " + entries + ", neither those before it nor those after it"
                    + (kind == Focus.REALLOCATE_MOVING ? " nor one state between (the new block allocated, the old"
                    + " one not yet freed)" : "") + ": an operation of this allocator must become visible through"
                    + " one header write (it declares EMBALLOC_IMAGE_FORMAT)");
            return -1;
        }

        /** The used entries of a moving reallocation between its allocation and its free: before, and the new one. */
        private List<Walk.Entry> bothBlocks() {
            List<Walk.Entry> both = new ArrayList<>(first.usedEntries());
            both.add(created);
            both.sort(Comparator.comparingInt(Walk.Entry::offset));
            return both;
        }

        /** coalesce(): every entry is one before it or one after it (each run merged or not). */
        private void checkRunsMergedOrNot(int k, Walk walk) {
            Set<Walk.Entry> known = new HashSet<>(first.entries());
            known.addAll(last.entries());
            for (Walk.Entry entry : walk.entries()) {
                if (!known.contains(entry)) {
                    fail(k, "its entry " + entry + " is neither one before it nor one after it: each run of free"
                            + " entries must be merged by one header write (the allocator declares"
                            + " EMBALLOC_IMAGE_FORMAT); entries " + walk);
                }
            }
        }

        private void fail(int k, String problem) {
            StringBuilder out = new StringBuilder();
            out.append(kind.rule).append(": ").append(session.origin).append(", operation ").append(index)
                    .append(", ").append(call).append(":\n");
            if (k < 0) {
                out.append("  ").append(problem).append('\n');
            } else {
                out.append("  a crash after ").append(k).append(" of its ").append(writes.size())
                        .append(" write(s) leaves an image where ").append(problem).append('\n');
            }
            out.append("  its writes, in order:\n");
            for (int i = 0; i < writes.size(); i++) {
                out.append("    ").append(i + 1).append(". ").append(describe(writes.get(i))).append('\n');
            }
            out.append("  entries before it: ").append(shownBefore).append('\n');
            out.append("  entries after it: ").append(shownAfter).append('\n');
            out.append("  ").append(session.replay);
            Assertions.fail(out.toString());
        }

        private String describe(WriteRecordingHeap.Write write) {
            String text = write.toString();
            if (session.image && write.length() == HeaderDescriptor.HEADER_LENGTH
                    && write.offset() % HeaderDescriptor.GRANULE == 0) {
                int word = ByteBuffer.wrap(write.bytes()).order(session.copy.order()).getInt();
                text += " (a header: " + (HeaderDescriptor.isUsed(word) ? "used " : "free ")
                        + HeaderDescriptor.size(word) + ")";
            }
            return text;
        }
    }

    /**
     * Runs the seeded random sequence of {@code seed}, checking the operations of {@code focus}.
     *
     * @return the number of operations checked
     */
    static int run(CrashConsistencyContract contract, Set<AllocatorFeature> features, Focus focus, long seed,
                   int length) throws Exception {
        int capacity = capacityFor(seed);
        String origin = "random sequence of seed " + seed + " (heap of " + capacity + " bytes, " + length
                + " operations, " + contract.getClass().getSimpleName() + ")";
        Session session = new Session(contract, features, focus, capacity, origin, "replay just this sequence with -D"
                + CrashConsistencyContract.SEED_PROPERTY + "=" + seed + " (and -D"
                + CrashConsistencyContract.OPERATIONS_PROPERTY + "=" + length + ")");
        SplittableRandom random = new SplittableRandom(seed);
        boolean zeroSizes = features.contains(AllocatorFeature.ZERO_SIZE_FREEABLE);
        for (int step = 0; step < length; step++) {
            boolean filling = (step / 40) % 2 == 0;
            int roll = random.nextInt(100);
            if (session.count() == 0 || roll < (filling ? 45 : 20)) {
                session.allocate(size(random, capacity, zeroSizes), alignment(random), random,
                        random.nextInt(3) == 0 ? 0xFF : -1);
            } else if (roll < 70) {
                Block block = session.random(random);
                int delta = session.inside && block.size > 1 && random.nextInt(3) == 0 ? random.nextInt(block.size)
                        : 0;
                session.free(block, delta);
            } else if (roll < 92) {
                Block block = session.random(random);
                int kind = random.nextInt(3);
                int size = kind == 0 ? random.nextInt(block.size + 1) : kind == 1 ? block.size + 1 + random.nextInt(40)
                        : size(random, capacity, zeroSizes);
                if (size == 0 && !zeroSizes) {
                    size = 1;
                }
                session.reallocate(block, size, random.nextInt(4) == 0 ? alignment(random) : 1, random);
            } else if (roll < 97) {
                session.coalesce();
            } else {
                session.allocateByReallocate(size(random, capacity, zeroSizes), alignment(random), random);
            }
        }
        return session.checkedOperations;
    }

    private static int size(SplittableRandom random, int capacity, boolean zeroSizes) {
        int kind = random.nextInt(100);
        if (kind < 60) {
            return (zeroSizes ? 0 : 1) + random.nextInt(48);
        } else if (kind < 90) {
            return 1 + random.nextInt(capacity / 4);
        }
        return 1 + random.nextInt(capacity);
    }

    private static int alignment(SplittableRandom random) {
        int kind = random.nextInt(100);
        return kind < 60 ? 1 : kind < 75 ? 4 : kind < 85 ? 8 : 1 << (4 + random.nextInt(5));
    }
}
