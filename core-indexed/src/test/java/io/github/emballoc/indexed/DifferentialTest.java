package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The identity rule, checked step by step: {@link IndexedAllocator} and {@link FirstFitAllocator}, built the
 * same way (fit, coalescing, byte order) over equal heaps, are driven by the same seeded random operations, and
 * after <em>every</em> operation they must have returned the same thing (the same handle, {@code NULL}, count or
 * statistics, or the same exception with the same handle, entry offset, heap offset and message) and written
 * the same bytes.
 *
 * <h2>How the bytes are compared</h2>
 * Most sequences run over a {@link RecordingHeap} on each side: every write an allocator makes is logged, and
 * after each operation the two logs must be equal, write for write and in the same order (which is the write
 * order the image package prescribes, checked against the reference), and the bytes of every range either side
 * wrote must be equal (a copy's range is compared up to 1 MiB). Equal logs over equal heaps leave equal heaps,
 * so that suffices; the whole heaps are still compared every 2,048 operations and at the end of each sequence.
 * Sequences over the standard heaps ({@code byte[]}, heap and direct {@link ByteBuffer}s, up to 64 KiB, where
 * the index reads headers through its fast paths) compare the whole heaps after every operation.
 *
 * <h2>What is drawn</h2>
 * Capacities from 8 bytes to 16 MiB (log-uniform, with the extremes always), both byte orders, both fits, both
 * coalescing modes; sizes mostly small, some up to the capacity, a few impossible; alignments up to 4 KiB (and
 * now and then 2^30); frees of live blocks by their handle or an offset inside them, double frees, frees of
 * arbitrary offsets and of {@code NULL}; {@code allocateOrThrow}; {@code usableSize}; {@code reallocate} of
 * live blocks (shrink, same, grow, far larger, with and without a new alignment), of freed ones, of arbitrary
 * offsets and of {@code NULL}; {@code coalesce}; {@code stats}; {@code verify} (with the index's own
 * invariants); and now and then a new pair of allocators attached to copies of the images, which carries on.
 * {@link #theLargestHeapsAgree()} does the same on sparse heaps of up to 2,147,483,644 bytes.
 *
 * <p>At least 1,000,000 operations in all by default; {@code -Demballoc.differential.ops=N} runs about
 * {@code N}, and {@code -Demballoc.differential.seed=SEED} runs the one sequence of that seed (the seed a
 * failure prints). A failure prints the seed, the configuration, the first disagreement and a reduced sequence
 * of operations that still shows it, as trace lines ({@code trace-format.md}), with comments for the operations
 * the trace format has no line for.
 */
class DifferentialTest {

    private static final long BASE_SEED = 0x1DE7_1CA1_5EEDL;
    private static final String OPS_PROPERTY = "emballoc.differential.ops";
    private static final String SEED_PROPERTY = "emballoc.differential.seed";
    private static final String RUN_PROPERTY = "emballoc.differential.run";
    private static final int FULL_COMPARISON_EVERY = 2048;
    private static final int RANGE_COMPARISON_CAP = 1 << 20;

    @Test
    void randomSequencesAgreeAfterEveryOperation() {
        String one = System.getProperty(SEED_PROPERTY);
        if (one != null) {
            Config config = Config.draw(Long.parseLong(one), Integer.getInteger(RUN_PROPERTY, 3));
            for (int i = 0; i < Integer.getInteger("emballoc.differential.repeat", 1); i++) {
                long t0 = System.nanoTime();
                int ops = Sequence.run(config);
                System.out.printf("%d operations in %.0f ms: %s%n", ops, (System.nanoTime() - t0) / 1e6, config);
            }
            return;
        }
        long wanted = Long.getLong(OPS_PROPERTY, 1_000_000L);
        SplittableRandom seeds = new SplittableRandom(BASE_SEED);
        long operations = 0;
        int runs = 0;
        long start = System.nanoTime();
        long cpu = cpuNanos();
        while (operations < wanted) {
            Config config = Config.draw(seeds.nextLong(), runs);
            long t0 = cpuNanos();
            operations += Sequence.run(config);
            if (Boolean.getBoolean("emballoc.differential.timing")) {
                System.out.printf("%6.0f ms CPU %s%n", (cpuNanos() - t0) / 1e6, config);
            }
            runs++;
        }
        System.out.printf("differential: %,d operations in %d sequences, %.1f s (%.1f s of this thread's CPU)%n",
                operations, runs, (System.nanoTime() - start) / 1e9, (cpuNanos() - cpu) / 1e9);
        assertTrue(operations >= wanted);
    }

    /** Sparse heaps of the format's largest capacity and others above 1 GiB, with large sizes and alignments. */
    @Test
    void theLargestHeapsAgree() {
        int[] capacities = {2_147_483_644, 2_147_483_640, (1 << 30) + 4, 1_500_000_000};
        SplittableRandom seeds = new SplittableRandom(BASE_SEED ^ 0x4A11);
        int run = 0;
        for (int capacity : capacities) {
            for (Fit fit : Fit.values()) {
                Coalescing coalescing = run % 2 == 0 ? Coalescing.FORWARD : Coalescing.BOTH;
                ByteOrder order = run % 3 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                long t0 = cpuNanos();
                Config config = new Config(seeds.nextLong(), run, capacity, order, fit, coalescing, HeapKind.SPARSE,
                        600, true);
                Sequence.run(config);
                if (Boolean.getBoolean("emballoc.differential.timing")) {
                    System.out.printf("%6.0f ms CPU %s%n", (cpuNanos() - t0) / 1e6, config);
                }
                run++;
            }
        }
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    enum HeapKind { RECORDED_ARRAY, SPARSE, ARRAY, DIRECT, BUFFER }

    /** One sequence's set-up; everything else follows from the seed. */
    record Config(long seed, int run, int capacity, ByteOrder order, Fit fit, Coalescing coalescing, HeapKind kind,
                  int length, boolean huge) {

        static Config draw(long seed, int run) {
            SplittableRandom random = new SplittableRandom(seed);
            ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            Fit fit = random.nextBoolean() ? Fit.FIRST : Fit.BEST;
            Coalescing coalescing = random.nextBoolean() ? Coalescing.FORWARD : Coalescing.BOTH;
            int pick = random.nextInt(100);
            HeapKind kind = pick < 62 ? HeapKind.RECORDED_ARRAY : pick < 64 ? HeapKind.SPARSE
                    : pick < 80 ? HeapKind.ARRAY : pick < 90 ? HeapKind.DIRECT : HeapKind.BUFFER;
            int maxBits = kind == HeapKind.RECORDED_ARRAY ? 24 : 16;
            int capacity;
            if (run % 50 == 0) {
                capacity = 8;
            } else if (run % 50 == 1) {
                capacity = 12;
            } else if (run % 50 == 2) {
                capacity = 16 << 20;
                kind = HeapKind.RECORDED_ARRAY;
            } else {
                int bits = 3 + random.nextInt(maxBits - 2);
                long drawn = (1L << bits) + random.nextLong(1L << bits);
                capacity = (int) Math.max(8, Math.min(1L << maxBits, drawn & ~3L));
            }
            int length = 500 + random.nextInt(capacity < 4096 ? 4000 : 9000);
            return new Config(seed, run, capacity, order, fit, coalescing, kind, length, false);
        }

        @Override
        public String toString() {
            return "seed " + seed + " (rerun: -D" + SEED_PROPERTY + "=" + seed + " -D" + RUN_PROPERTY + "=" + run
                    + "), heap " + capacity + " " + kind
                    + " " + order + ", " + fit + ", " + coalescing;
        }
    }

    enum Kind {
        ALLOCATE, ALLOCATE_OR_THROW, FREE, FREE_OFFSET, USABLE, USABLE_OFFSET, REALLOCATE, REALLOCATE_NULL,
        REALLOCATE_OFFSET, COALESCE, ATTACH, STATS, VERIFY
    }

    /**
     * One operation, naming blocks by ID (as a trace does) so that a reduced sequence replays: {@code id} is the
     * block an {@code ALLOCATE} or {@code REALLOCATE_NULL} binds, or whose handle plus {@code delta} a
     * {@code FREE}, {@code USABLE} or {@code REALLOCATE} passes; the {@code _OFFSET} kinds pass {@code offset}.
     */
    record Op(Kind kind, int id, int size, int alignment, int delta, int offset) {

        String traceLine() {
            String block = "b" + id;
            switch (kind) {
                case ALLOCATE:
                    return "a " + block + " " + size + " " + alignment;
                case ALLOCATE_OR_THROW:
                    return "a " + block + " " + size + " " + alignment + "  # through allocateOrThrow";
                case FREE:
                    return "f " + block + " " + delta;
                case FREE_OFFSET:
                    return "# free(" + offset + ")";
                case USABLE:
                    return "# usableSize(" + block + " + " + delta + ")";
                case USABLE_OFFSET:
                    return "# usableSize(" + offset + ")";
                case REALLOCATE:
                    return delta == 0 ? "r " + block + " " + size + " " + alignment
                            : "# reallocate(" + block + " + " + delta + ", " + size + ", " + alignment + ")";
                case REALLOCATE_NULL:
                    return "# reallocate(NULL, " + size + ", " + alignment + ") binding " + block;
                case REALLOCATE_OFFSET:
                    return "# reallocate(" + offset + ", " + size + ", " + alignment + ")";
                case COALESCE:
                    return "# coalesce()";
                case ATTACH:
                    return "# attach new allocators to copies of both images and carry on with them";
                case STATS:
                    return "# stats()";
                default:
                    return "# verify()";
            }
        }
    }

    /** A disagreement between the two strategies (or a broken check) at one operation. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /** One strategy's heap and allocator. */
    static final class Side {
        final Config config;
        final boolean indexed;
        RawHeap heap;          // what the allocator works on
        RawHeap backing;       // where the bytes are (the same as heap unless recorded)
        RecordingHeap recording;
        Allocator allocator;

        Side(Config config, boolean indexed) {
            this.config = config;
            this.indexed = indexed;
            RawHeap fresh = switch (config.kind()) {
                case RECORDED_ARRAY, ARRAY -> RawHeaps.allocate(config.capacity(), config.order());
                case SPARSE -> new SparseHeap(config.capacity(), config.order());
                case DIRECT -> RawHeaps.wrap(ByteBuffer.allocateDirect(config.capacity()).order(config.order()));
                case BUFFER -> RawHeaps.wrap(ByteBuffer.allocate(config.capacity()).order(config.order()));
            };
            use(fresh);
        }

        private void use(RawHeap bytes) {
            backing = bytes;
            if (config.kind() == HeapKind.RECORDED_ARRAY || config.kind() == HeapKind.SPARSE) {
                recording = new RecordingHeap(bytes);
                heap = recording;
            } else {
                recording = null;
                heap = bytes;
            }
            allocator = indexed
                    ? IndexedAllocator.builder(heap).fit(config.fit()).coalescing(config.coalescing())
                            .criticalSection(new PlainSection()).build()
                    : FirstFitAllocator.builder(heap).fit(config.fit()).coalescing(config.coalescing())
                            .criticalSection(new PlainSection()).build();
        }

        /** A new allocator of the same strategy, attached to a copy of {@code image}'s bytes. */
        void attachToCopyOf(Side image) {
            RawHeap copy;
            if (image.backing instanceof SparseHeap sparse) {
                copy = sparse.copy();
            } else {
                byte[] bytes = image.bytes();
                copy = switch (config.kind()) {
                    case DIRECT -> {
                        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).order(config.order());
                        direct.put(bytes).clear();
                        yield RawHeaps.wrap(direct);
                    }
                    case BUFFER -> RawHeaps.wrap(ByteBuffer.wrap(bytes).order(config.order()));
                    default -> RawHeaps.wrap(bytes, config.order());
                };
            }
            use(copy);
        }

        byte[] bytes() {
            byte[] bytes = new byte[backing.capacity()];
            backing.getBytes(0, bytes, 0, bytes.length);
            return bytes;
        }
    }

    /** The two sides, the bindings of block IDs, and the checks after each operation. */
    static final class Sequence {
        final Config config;
        final Side reference;
        final Side indexed;
        int[] bound = new int[64];
        int[] sizes = new int[64];
        int[] livePosition = new int[64];
        int ids;
        int steps;
        int value;
        /** The IDs of live blocks (as far as the test can tell), for drawing targets. */
        final List<Integer> live = new ArrayList<>();
        final TreeMap<Integer, Integer> liveByHandle = new TreeMap<>();
        /** Recently freed IDs, for double frees. */
        final int[] freed = new int[64];
        int freedCount;

        Sequence(Config config) {
            this.config = config;
            this.reference = new Side(config, false);
            this.indexed = new Side(config, true);
        }

        /** Runs a drawn sequence; on a disagreement, reduces it and fails with the report. */
        static int run(Config config) {
            Generator generator = new Generator(config);
            List<Op> ops = new ArrayList<>();
            Sequence sequence;
            try {
                sequence = new Sequence(config);
                sequence.compareWhole();
                for (int i = 0; i < config.length(); i++) {
                    Op op = generator.next(sequence);
                    ops.add(op);
                    sequence.step(op);
                }
                sequence.finish();
            } catch (RuntimeException | AssertionError e) {
                List<Op> reduced = reduce(config, ops);
                StringBuilder trace = new StringBuilder("heap " + config.capacity() + "\n");
                for (Op op : reduced) {
                    trace.append(op.traceLine()).append('\n');
                }
                String again = replay(config, reduced);
                fail("IndexedAllocator and FirstFitAllocator disagree: " + config + ", at operation " + ops.size()
                        + " (" + ops.get(ops.size() - 1).traceLine() + "): " + e.getMessage()
                        + "\nreduced to " + reduced.size() + " operations, where: " + again + "\n" + trace, e);
            }
            return ops.size();
        }

        /** Replays ops on fresh sides; returns the disagreement's message, or null when they agree. */
        static String replay(Config config, List<Op> ops) {
            try {
                Sequence sequence = new Sequence(config);
                for (Op op : ops) {
                    sequence.step(op);
                }
                sequence.finish();
                return null;
            } catch (RuntimeException | AssertionError e) {
                return e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }

        /** Removes chunks, then single operations, while the disagreement remains (bounded effort). */
        static List<Op> reduce(Config config, List<Op> failing) {
            List<Op> current = new ArrayList<>(failing);
            if (replay(config, current) == null) {
                return current; // not reproducible from the operations alone: report them all
            }
            int budget = 3000;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && budget > 0; chunk /= 2) {
                for (int from = 0; from < current.size() && budget > 0; ) {
                    List<Op> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(Math.min(current.size(), from + chunk), current.size()));
                    budget--;
                    if (!candidate.isEmpty() && replay(config, candidate) != null) {
                        current = candidate;
                    } else {
                        from += chunk;
                    }
                }
            }
            return current;
        }

        int newId() {
            bind(ids, Allocator.NULL, 0);
            return ids - 1;
        }

        void bind(int id, int handle, int size) {
            while (id >= bound.length) {
                int grown = bound.length * 2;
                bound = Arrays.copyOf(bound, grown);
                sizes = Arrays.copyOf(sizes, grown);
                int old = livePosition.length;
                livePosition = Arrays.copyOf(livePosition, grown);
                Arrays.fill(livePosition, old, grown, -1);
            }
            if (id >= ids) {
                Arrays.fill(livePosition, ids, id + 1, -1);
                ids = id + 1;
            }
            forget(id);
            bound[id] = handle;
            sizes[id] = size;
            if (handle != Allocator.NULL) {
                livePosition[id] = live.size();
                live.add(id);
                liveByHandle.put(handle, id);
            }
        }

        /** Takes an ID off the live list (its binding stays, as a trace's does). */
        void forget(int id) {
            int position = livePosition[id];
            if (position < 0) {
                return;
            }
            int last = live.remove(live.size() - 1);
            if (last != id) {
                live.set(position, last);
                livePosition[last] = position;
            }
            livePosition[id] = -1;
            liveByHandle.remove(bound[id], id);
        }

        void freedId(int id) {
            forget(id);
            freed[freedCount++ % freed.length] = id;
        }

        /** The live ID whose block the test believes holds {@code target}, or -1. */
        int liveIdHolding(int target) {
            java.util.Map.Entry<Integer, Integer> below = liveByHandle.floorEntry(target);
            if (below != null && target - below.getKey() < Math.max(1, sizes[below.getValue()])) {
                return below.getValue();
            }
            java.util.Map.Entry<Integer, Integer> above = liveByHandle.higherEntry(target);
            return above == null ? -1 : above.getValue(); // an offset in the alignment padding before a handle
        }

        int handleOf(int id) {
            return id < ids ? bound[id] : Allocator.NULL;
        }

        void step(Op op) {
            steps++;
            if (op.kind() == Kind.ATTACH) {
                reference.attachToCopyOf(reference);
                indexed.attachToCopyOf(steps % 2 == 0 ? indexed : reference);
                compareWhole();
                return;
            }
            int target = switch (op.kind()) {
                case FREE, USABLE, REALLOCATE -> {
                    int handle = handleOf(op.id());
                    yield handle == Allocator.NULL ? Allocator.NULL
                            : (int) Math.min(Integer.MAX_VALUE, (long) handle + op.delta());
                }
                case FREE_OFFSET, USABLE_OFFSET, REALLOCATE_OFFSET -> op.offset();
                default -> Allocator.NULL;
            };
            if ((op.kind() == Kind.FREE || op.kind() == Kind.USABLE || op.kind() == Kind.REALLOCATE)
                    && handleOf(op.id()) == Allocator.NULL) {
                return; // the ID is not bound (in a reduced sequence): nothing to call, as a trace does
            }
            if (reference.recording != null) {
                reference.recording.clear();
                indexed.recording.clear();
            }
            String expected = apply(reference, op, target);
            int expectedValue = value;
            String actual = apply(indexed, op, target);
            if (!expected.equals(actual)) {
                throw new Mismatch("FirstFitAllocator: " + expected + "; IndexedAllocator: " + actual);
            }
            compareWrites();
            if (steps % FULL_COMPARISON_EVERY == 0) {
                compareWhole();
            }
            afterwards(op, target, expectedValue, expected);
        }

        /** Updates the bindings and writes a pattern into a new block (on both sides alike, unrecorded). */
        private void afterwards(Op op, int target, int result, String outcome) {
            switch (op.kind()) {
                case ALLOCATE, ALLOCATE_OR_THROW, REALLOCATE_NULL -> {
                    bind(op.id(), result, op.size());
                    pattern(result, op.size(), op.id());
                }
                case FREE, FREE_OFFSET -> {
                    if (outcome.equals("freed")) {
                        int id = op.kind() == Kind.FREE && livePosition[op.id()] >= 0 ? op.id() : liveIdHolding(target);
                        if (id >= 0) {
                            freedId(id);
                        }
                    }
                }
                case REALLOCATE, REALLOCATE_OFFSET -> {
                    if (outcome.startsWith("returned ") && result != Allocator.NULL) {
                        int id = op.kind() == Kind.REALLOCATE ? op.id() : liveIdHolding(target);
                        if (id >= 0) {
                            bind(id, result, op.size());
                        }
                        pattern(result, op.size(), op.id() + 7);
                    }
                }
                default -> {
                }
            }
        }

        private void pattern(int handle, int size, int id) {
            if (handle == Allocator.NULL || handle == Integer.MIN_VALUE || size == 0) {
                return;
            }
            byte b = (byte) (id * 31 + 17);
            int head = Math.min(size, 24);
            reference.backing.fill(handle, head, b);
            indexed.backing.fill(handle, head, b);
            if (size > head) {
                int tail = Math.min(size - head, 24);
                reference.backing.fill(handle + size - tail, tail, (byte) (b + 1));
                indexed.backing.fill(handle + size - tail, tail, (byte) (b + 1));
            }
        }

        /** Calls the operation; the outcome as text (the value also in {@link #value}). */
        String apply(Side side, Op op, int target) {
            Allocator a = side.allocator;
            value = Integer.MIN_VALUE;
            try {
                switch (op.kind()) {
                    case ALLOCATE:
                        value = a.allocate(op.size(), op.alignment());
                        return "returned " + value;
                    case ALLOCATE_OR_THROW:
                        try {
                            value = a.allocateOrThrow(op.size(), op.alignment());
                            return "returned " + value;
                        } catch (HeapExhaustedException e) {
                            value = Allocator.NULL;
                            return "exhausted: " + e.size() + " " + e.alignment() + " " + e.largestFree() + " "
                                    + e.freeBytes() + " " + e.getMessage();
                        }
                    case FREE:
                    case FREE_OFFSET:
                        a.free(target);
                        return "freed";
                    case USABLE:
                    case USABLE_OFFSET:
                        value = a.usableSize(target);
                        return "usable " + value;
                    case REALLOCATE:
                    case REALLOCATE_OFFSET:
                        value = a.reallocate(target, op.size(), op.alignment());
                        return "returned " + value;
                    case REALLOCATE_NULL:
                        value = a.reallocate(Allocator.NULL, op.size(), op.alignment());
                        return "returned " + value;
                    case COALESCE:
                        value = a.coalesce();
                        return "merged " + value;
                    case STATS:
                        return a.stats().toString() + " " + a.counts();
                    case VERIFY:
                        a.verify();
                        if (a instanceof IndexedAllocator ia) {
                            String broken = ia.checkInvariants();
                            if (broken != null) {
                                return "broken index: " + broken;
                            }
                        }
                        return "verified";
                    default:
                        throw new IllegalArgumentException(op.toString());
                }
            } catch (DoubleFreeException e) {
                return "DoubleFreeException " + e.handle() + " " + e.entryOffset() + ": " + e.getMessage();
            } catch (InvalidFreeException e) {
                return "InvalidFreeException " + e.handle() + ": " + e.getMessage();
            } catch (HeapCorruptedException e) {
                return "HeapCorruptedException " + e.offset() + ": " + e.getMessage();
            } catch (IllegalArgumentException e) {
                return "IllegalArgumentException: " + e.getMessage();
            }
        }

        void compareWrites() {
            if (reference.recording == null) {
                compareWhole();
                return;
            }
            RecordingHeap r = reference.recording;
            RecordingHeap x = indexed.recording;
            if (!r.sameWrites(x)) {
                throw new Mismatch("different writes.\nFirstFitAllocator wrote:\n" + r.describeWrites()
                        + "IndexedAllocator wrote:\n" + x.describeWrites());
            }
            for (RecordingHeap log : new RecordingHeap[] {r, x}) {
                for (int w = 0; w < log.writes(); w++) {
                    int offset = log.offset(w);
                    int length = Math.min(log.length(w), RANGE_COMPARISON_CAP);
                    byte[] a = new byte[length];
                    byte[] b = new byte[length];
                    reference.backing.getBytes(offset, a, 0, length);
                    indexed.backing.getBytes(offset, b, 0, length);
                    int at = Arrays.mismatch(a, b);
                    if (at >= 0) {
                        throw new Mismatch("the heaps differ at offset " + (offset + at) + " after the same writes");
                    }
                }
            }
        }

        void compareWhole() {
            long at;
            if (reference.backing instanceof SparseHeap a) {
                at = a.mismatch((SparseHeap) indexed.backing);
            } else {
                at = Arrays.mismatch(reference.bytes(), indexed.bytes());
            }
            if (at >= 0) {
                throw new Mismatch("the heaps differ at offset " + at);
            }
        }

        /** The end of a sequence: statistics, verification and the whole heaps. */
        void finish() {
            for (Op check : new Op[] {new Op(Kind.STATS, 0, 0, 1, 0, 0), new Op(Kind.VERIFY, 0, 0, 1, 0, 0)}) {
                String expected = apply(reference, check, 0);
                String actual = apply(indexed, check, 0);
                if (!expected.equals(actual)) {
                    throw new Mismatch("at the end, FirstFitAllocator: " + expected + "; IndexedAllocator: " + actual);
                }
            }
            compareWhole();
        }
    }

    /** Draws the next operation from the sequence's state. */
    static final class Generator {
        final Config config;
        final SplittableRandom random;

        Generator(Config config) {
            this.config = config;
            this.random = new SplittableRandom(config.seed() ^ 0x6E6E);
        }

        private int anyLive(Sequence s) {
            return s.live.get(random.nextInt(s.live.size()));
        }

        private int anyFreed(Sequence s) {
            return s.freed[random.nextInt(Math.min(s.freedCount, s.freed.length))];
        }

        Op next(Sequence s) {
            int capacity = config.capacity();
            int roll = random.nextInt(1000);
            int liveCap = config.huge() ? 40 : 2500;
            boolean full = s.live.size() > liveCap;
            if (s.live.isEmpty() || (!full && roll < 400)) {
                return allocate(s, roll < 8 ? Kind.ALLOCATE_OR_THROW : Kind.ALLOCATE);
            }
            if (roll < 700 || (full && roll < 800)) {
                int id = anyLive(s);
                int size = s.sizes[id];
                int delta = size > 1 && random.nextInt(3) == 0 ? random.nextInt(size) : 0;
                return new Op(Kind.FREE, id, 0, 1, delta, 0);
            }
            if (roll < 740) {
                if (s.freedCount > 0 && random.nextBoolean()) {
                    return new Op(Kind.FREE, anyFreed(s), 0, 1, random.nextInt(4) == 0 ? random.nextInt(8) : 0, 0);
                }
                return new Op(Kind.FREE_OFFSET, 0, 0, 1, 0, arbitraryOffset(capacity));
            }
            if (roll < 790) {
                if (random.nextInt(5) == 0) {
                    return new Op(Kind.USABLE_OFFSET, 0, 0, 1, 0, arbitraryOffset(capacity));
                }
                int id = random.nextInt(4) == 0 && s.freedCount > 0 ? anyFreed(s) : anyLive(s);
                int size = s.sizes[id];
                return new Op(Kind.USABLE, id, 0, 1, size > 1 ? random.nextInt(size) : 0, 0);
            }
            if (roll < 930) {
                return reallocate(s);
            }
            if (roll < 938) {
                return new Op(Kind.COALESCE, 0, 0, 1, 0, 0);
            }
            if (roll < 940) {
                return new Op(Kind.ATTACH, 0, 0, 1, 0, 0);
            }
            if (roll < 960) {
                return new Op(Kind.STATS, 0, 0, 1, 0, 0);
            }
            if (roll < 965) {
                return new Op(Kind.VERIFY, 0, 0, 1, 0, 0);
            }
            return allocate(s, Kind.ALLOCATE);
        }

        private Op allocate(Sequence s, Kind kind) {
            return new Op(kind, s.newId(), size(), alignment(), 0, 0);
        }

        private Op reallocate(Sequence s) {
            int roll = random.nextInt(100);
            if (roll < 8) {
                return new Op(Kind.REALLOCATE_NULL, s.newId(), size(), alignment(), 0, 0);
            }
            if (roll < 14) {
                return new Op(Kind.REALLOCATE_OFFSET, 0, size(), alignment(), 0, arbitraryOffset(config.capacity()));
            }
            if (roll < 20 && s.freedCount > 0) {
                return new Op(Kind.REALLOCATE, anyFreed(s), size(), 1, 0, 0);
            }
            int id = anyLive(s);
            int old = s.sizes[id];
            int newSize = switch (random.nextInt(6)) {
                case 0 -> old == 0 ? 0 : random.nextInt(old);           // shrink
                case 1 -> old;                                            // same
                case 2 -> old + random.nextInt(16);                       // grow a little
                case 3 -> old + random.nextInt(Math.max(1, config.capacity() / 8)); // grow a lot
                case 4 -> Math.max(0, old - 4 - random.nextInt(8));      // shrink by a header's worth
                default -> size();
            };
            int alignment = random.nextInt(4) == 0 ? alignment() : 1;
            int delta = old > 1 && random.nextInt(10) == 0 ? random.nextInt(old) : 0;
            return new Op(Kind.REALLOCATE, id, newSize, alignment, delta, 0);
        }

        private int size() {
            int capacity = config.capacity();
            int kind = random.nextInt(100);
            if (config.huge()) {
                if (kind < 40) {
                    return random.nextInt(65);
                }
                if (kind < 85) {
                    return random.nextInt(Math.max(1, capacity / 8));
                }
                if (kind < 95) {
                    return capacity - 4 - random.nextInt(64);
                }
                return Integer.MAX_VALUE - random.nextInt(16);
            }
            if (kind < 55) {
                return random.nextInt(65);
            }
            if (kind < 80) {
                return random.nextInt(Math.max(1, capacity / 32));
            }
            if (kind < 90) {
                return random.nextInt(Math.max(1, capacity / 4));
            }
            if (kind < 94) {
                return 0;
            }
            if (kind < 97) {
                return Math.max(0, capacity - 4 - random.nextInt(12));
            }
            return random.nextBoolean() ? capacity + random.nextInt(16) : Integer.MAX_VALUE - random.nextInt(8);
        }

        private int alignment() {
            int roll = random.nextInt(100);
            if (roll < 70) {
                return 1 << random.nextInt(3);
            }
            if (roll < 99 || !config.huge()) {
                return roll == 99 && random.nextInt(20) == 0 ? 1 << 30 : 1 << random.nextInt(13);
            }
            return 1 << (20 + random.nextInt(11));
        }

        private int arbitraryOffset(int capacity) {
            int roll = random.nextInt(10);
            if (roll == 0) {
                return Allocator.NULL;
            }
            if (roll == 1) {
                return random.nextInt();
            }
            return (int) Math.min(Integer.MAX_VALUE, random.nextLong((long) capacity + 8) - 4);
        }
    }
}
