package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds the smallest heap size on which no allocation of a trace fails.
 *
 * <p>Success is not monotone in the size (a larger heap lays blocks out differently and can fail where a
 * smaller one succeeds), so the answer is established by trying sizes, not by bisection:
 * <ol>
 *   <li>A <em>lower bound</em>: every allocation that succeeds takes an entry of exactly
 *       {@code 4 + roundUp4(request)} bytes, and the live blocks' entries are disjoint, so at every moment the
 *       heap holds at least the entries of the blocks certainly live then. A free {@code f ID} of a block
 *       certainly live frees exactly that block; any other free (with a delta, or of an ID whose block may
 *       have been freed already and whose offset a newer block may hold) frees at most one block, unknown, so
 *       each such free discounts the largest block still counted. No heap smaller than the bound can serve
 *       every allocation.</li>
 *   <li>A linear scan from the bound upward in steps of 4, replaying with {@code stopAtFirstNull}: the first
 *       size that serves every allocation is the answer, and every smaller size has been tried or excluded by
 *       the bound.</li>
 *   <li>If the scan uses up its budget of replays, doubling steps until a size works, then bisection between
 *       the last failing and the first working probe: the answer then works and the size 4 below it fails,
 *       but sizes between the scan's end and the answer that were not probed were not tried.</li>
 * </ol>
 */
final class SizeSearch {

    /** The lower bound and how it is made up, at the moment the certainly-live blocks need the most room. */
    static final class LowerBound {
        /** The bound in bytes: a multiple of 4, at least the smallest heap. */
        final int bytes;
        /** The entries' bytes at the peak: headers, payload and padding (may be below the smallest heap). */
        final long peakBytes;
        /** The payload (requested bytes) of the blocks counted at the peak. */
        final long payload;
        /** How many blocks are counted at the peak. */
        final int blocks;
        /** The line of the allocation at the peak, 0 when the trace allocates nothing. */
        final int line;
        /** How many blocks the bound leaves out at the peak, for frees it cannot attribute. */
        final int discounted;
        /**
         * The peak as the trace means it, each block held from its {@code a} to the next {@code f} of its ID:
         * the entries' bytes, the payload, the blocks and the line after which it is reached.
         */
        final Peak nominal;

        LowerBound(int bytes, long peakBytes, long payload, int blocks, int line, int discounted, Peak nominal) {
            this.bytes = bytes;
            this.peakBytes = peakBytes;
            this.payload = payload;
            this.blocks = blocks;
            this.line = line;
            this.discounted = discounted;
            this.nominal = nominal;
        }

        long headers() {
            return 4L * blocks;
        }

        long padding() {
            return peakBytes - payload - headers();
        }
    }

    /** A peak of the blocks held: their entries' bytes, their payload, how many, after which line. */
    static final class Peak {
        final long bytes;
        final long payload;
        final int blocks;
        final int line;

        Peak(long bytes, long payload, int blocks, int line) {
            this.bytes = bytes;
            this.payload = payload;
            this.blocks = blocks;
            this.line = line;
        }

        long headers() {
            return 4L * blocks;
        }

        long padding() {
            return bytes - payload - headers();
        }
    }

    /** What the search tried and found. */
    static final class Outcome {
        /** The answer: a size on which no allocation fails; every smaller size fails if {@link #exhaustive}. */
        final int size;
        /** The replays run. */
        final int replays;
        /** Whether every size from the lower bound to the answer was replayed. */
        final boolean exhaustive;
        /** The last size of the linear scan (all from the bound to it fail) when not exhaustive. */
        final int scannedTo;
        /** The sizes probed after the scan, in order, and whether each worked. */
        final long[] probes;
        final boolean[] probeWorked;

        Outcome(int size, int replays, boolean exhaustive, int scannedTo, long[] probes, boolean[] probeWorked) {
            this.size = size;
            this.replays = replays;
            this.exhaustive = exhaustive;
            this.scannedTo = scannedTo;
            this.probes = probes;
            this.probeWorked = probeWorked;
        }
    }

    private SizeSearch() {
    }

    /** The bytes an allocation's entry takes, header included; more than any heap when it can never fit. */
    static long entryBytes(int size, int alignment) {
        return HeaderDescriptor.HEADER_LENGTH + HeaderDescriptor.blockSize(size, alignment);
    }

    /**
     * Computes the lower bound.
     *
     * @throws CliException (status 2) if an allocation, or the blocks held at some moment, need more than the
     *     largest heap
     */
    static LowerBound lowerBound(Trace trace) {
        int n = trace.operationCount();
        int blocksMax = 0;
        for (int i = 0; i < n; i++) {
            if (trace.kind(i) != Trace.Kind.FREE) {
                blocksMax++;
            }
        }
        // Block numbers: each allocation, and each reallocation of a block certainly live, starts a new one.
        long[] cost = new long[blocksMax];
        int[] payload = new int[blocksMax];
        int[] allocatedAt = new int[blocksMax];
        int[] freedWhenBlocks = new int[blocksMax];
        int[] freedAt = new int[blocksMax];
        boolean[] held = new boolean[blocksMax];
        Fenwick heldTree = new Fenwick(blocksMax);
        int[] bound = new int[trace.idCount()];
        Arrays.fill(bound, -1);
        Discounted counted = new Discounted(cost, payload);
        int blocks = 0;
        int lastUncertain = -1;
        int lastUncertainMove = -1;
        long bestBytes = 0;
        long bestPayload = 0;
        int bestBlocks = 0;
        int bestLine = 0;
        int bestDiscounted = 0;
        // The nominal peak: a block is held from its 'a' until the next 'f' of its ID (any delta); an 'r'
        // of a block so held changes its size.
        boolean[] nominallyHeld = new boolean[blocksMax];
        long nominalBytes = 0;
        long nominalPayload = 0;
        int nominalBlocks = 0;
        Peak nominal = new Peak(0, 0, 0, 0);
        for (int i = 0; i < n; i++) {
            Trace.Kind kind = trace.kind(i);
            int id = trace.idIndex(i);
            if (kind == Trace.Kind.ALLOCATE || kind == Trace.Kind.REALLOCATE && bound[id] >= 0 && held[bound[id]]
                    && allocatedAt[bound[id]] > lastUncertain) {
                // An allocation, or a reallocation of a block certainly live: in a heap where nothing fails, the
                // block afterwards has an entry of at least this many bytes (a reallocation in place may keep a
                // smaller alignment shift than a new allocation would need).
                long bytes = kind == Trace.Kind.ALLOCATE ? entryBytes(trace.size(i), trace.alignment(i))
                        : HeaderDescriptor.HEADER_LENGTH + HeaderDescriptor.spanSize(0, trace.size(i));
                if (bytes > Trace.MAX_HEAP) {
                    throw CliException.usage(trace.source() + ":" + trace.line(i) + ": no heap can serve '"
                            + trace.toTraceLine(i) + "': its entry needs " + bytes + " bytes with its header, more "
                            + "than the largest heap (" + Trace.MAX_HEAP + " bytes)");
                }
                int old = bound[id];
                boolean nominalOld = false;
                if (kind == Trace.Kind.REALLOCATE) {
                    held[old] = false;
                    heldTree.add(old, -1);
                    freedWhenBlocks[old] = blocks;
                    freedAt[old] = i;
                    counted.remove(old);
                    nominalOld = nominallyHeld[old];
                    if (nominalOld) {
                        nominallyHeld[old] = false;
                        nominalBytes -= cost[old];
                        nominalPayload -= payload[old];
                        nominalBlocks--;
                    }
                }
                int b = blocks++;
                cost[b] = bytes;
                payload[b] = trace.size(i);
                // A block reallocated to 0 bytes may no longer hold its handle (when the handle lay past the
                // payload's start, its new entry ends at the handle), so what its ID does next is uncertain.
                allocatedAt[b] = kind == Trace.Kind.ALLOCATE ? i : trace.size(i) == 0 ? -1 : allocatedAt[old];
                held[b] = true;
                heldTree.add(b, 1);
                bound[id] = b;
                if (kind == Trace.Kind.ALLOCATE || nominalOld) {
                    nominallyHeld[b] = true;
                    nominalBytes += bytes;
                    nominalPayload += trace.size(i);
                    nominalBlocks++;
                    if (nominalBytes > nominal.bytes) {
                        nominal = new Peak(nominalBytes, nominalPayload, nominalBlocks, trace.line(i));
                    }
                }
                counted.add(b);
                if (counted.sum() > bestBytes) {
                    bestBytes = counted.sum();
                    bestPayload = counted.payload();
                    bestBlocks = counted.count();
                    bestLine = trace.line(i);
                    bestDiscounted = counted.discounted();
                }
                continue;
            }
            int b = bound[id];
            if (b < 0) {
                continue; // unknown ID: nothing is freed or reallocated
            }
            int delta = trace.delta(i);
            if (kind == Trace.Kind.FREE && nominallyHeld[b]) {
                nominallyHeld[b] = false;
                nominalBytes -= cost[b];
                nominalPayload -= payload[b];
                nominalBlocks--;
            }
            if (held[b]) {
                if (kind == Trace.Kind.FREE && delta == 0 && allocatedAt[b] > lastUncertain) {
                    // Certainly live (allocated after every free that could have hit it): freed exactly.
                    held[b] = false;
                    heldTree.add(b, -1);
                    freedWhenBlocks[b] = blocks;
                    freedAt[b] = i;
                    counted.remove(b);
                    continue;
                }
            } else if (delta == 0 && heldTree.sum(freedWhenBlocks[b], blocks) == 0 && freedAt[b] > lastUncertainMove) {
                // Its block was freed, and every block placed since is freed too (no reallocation of an unknown
                // block came since either): no used block can hold the offset, so this is a double free (or
                // not found) and changes nothing.
                continue;
            }
            // A free (or a reallocation) that may hit any one block held: it frees (or shrinks) at most one, so
            // the bound leaves out one more block, the costliest; a reallocation may also move a block anywhere.
            counted.discountOneMore();
            lastUncertain = i;
            if (kind == Trace.Kind.REALLOCATE) {
                lastUncertainMove = i;
            }
        }
        if (bestBytes > Trace.MAX_HEAP) {
            throw CliException.usage(trace.source() + ":" + bestLine + ": no heap can hold this trace: after this "
                    + "line the blocks held need " + bestBytes + " bytes with their headers, more than the largest "
                    + "heap (" + Trace.MAX_HEAP + " bytes)");
        }
        int bytes = (int) Math.max(Trace.MIN_HEAP, bestBytes);
        return new LowerBound(bytes, bestBytes, bestPayload, bestBlocks, bestLine, bestDiscounted, nominal);
    }

    /**
     * Whether no allocation or reallocation of the trace fails on a heap of {@code size} bytes. The replay stops
     * at the first that fails, and keeps nothing per operation: all it must tell is whether one fails.
     */
    static boolean fits(Trace trace, Allocators allocators, int size) {
        TraceReplayer.Session session = new TraceReplayer.Session(allocators.build(RawHeaps.allocate(size)));
        for (int i = 0, n = trace.operationCount(); i < n; i++) {
            if (session.replay(trace, i) == Allocator.NULL) {
                return false;
            }
            if ((i & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
                return false; // a replay of a batch whose answer is known: its result is discarded
            }
        }
        return true;
    }

    /**
     * Searches upward from the bound.
     *
     * @param maxReplays the replays the linear scan may use before it jumps
     * @throws CliException (status 2) if no heap up to the largest works
     */
    static Outcome search(Trace trace, Allocators allocators, int lowerBound, int maxReplays) {
        return search(trace, allocators, lowerBound, maxReplays, 1);
    }

    /**
     * Searches upward from the bound, replaying up to {@code threads} sizes of the linear scan at once (each
     * replay is independent; the answer is still the smallest size of the scan that works, and replays of
     * larger sizes of its batch are only discarded).
     *
     * @param maxReplays the replays the linear scan may use before it jumps
     * @param threads how many replays of the scan run at once, 1 or more
     * @throws CliException (status 2) if no heap up to the largest works
     */
    static Outcome search(Trace trace, Allocators allocators, int lowerBound, int maxReplays, int threads) {
        int replays = 0;
        long size = lowerBound;
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "emballoc-size");
            thread.setDaemon(true);
            return thread;
        }) : null;
        try {
            while (replays < maxReplays) {
                if (size > Trace.MAX_HEAP) {
                    throw noHeapWorks(trace);
                }
                int batch = (int) Math.min(Math.min(threads, maxReplays - replays), (Trace.MAX_HEAP - size) / 4 + 1);
                boolean[] works = fitsAll(trace, allocators, size, batch, pool);
                for (int i = 0; i < batch; i++) {
                    replays++;
                    if (works[i]) {
                        return new Outcome((int) size, replays, true, (int) size - 4, new long[0], new boolean[0]);
                    }
                    size += 4;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        int scannedTo = (int) size - 4;
        List<Long> probes = new ArrayList<>();
        List<Boolean> worked = new ArrayList<>();
        long failing = scannedTo;
        long working;
        long step = 4;
        while (true) {
            if (failing >= Trace.MAX_HEAP) {
                throw noHeapWorks(trace);
            }
            step *= 2;
            long probe = Math.min(Trace.MAX_HEAP, failing + step);
            replays++;
            boolean ok = fits(trace, allocators, (int) probe);
            probes.add(probe);
            worked.add(ok);
            if (ok) {
                working = probe;
                break;
            }
            failing = probe;
        }
        while (working - failing > 4) {
            long middle = failing + (working - failing) / 8 * 4;
            replays++;
            boolean ok = fits(trace, allocators, (int) middle);
            probes.add(middle);
            worked.add(ok);
            if (ok) {
                working = middle;
            } else {
                failing = middle;
            }
        }
        long[] probeSizes = new long[probes.size()];
        boolean[] probeWorked = new boolean[probes.size()];
        for (int i = 0; i < probeSizes.length; i++) {
            probeSizes[i] = probes.get(i);
            probeWorked[i] = worked.get(i);
        }
        return new Outcome((int) working, replays, false, scannedTo, probeSizes, probeWorked);
    }

    /** Whether each of the sizes {@code from}, {@code from + 4}, ... ({@code count} of them) works. */
    private static boolean[] fitsAll(Trace trace, Allocators allocators, long from, int count, ExecutorService pool) {
        boolean[] works = new boolean[count];
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                works[i] = fits(trace, allocators, (int) (from + 4L * i));
                if (works[i]) {
                    break;
                }
            }
            return works;
        }
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = (int) (from + 4L * i);
            results.add(pool.submit(() -> fits(trace, allocators, size)));
        }
        try {
            for (int i = 0; i < count; i++) {
                works[i] = results.get(i).get();
                if (works[i]) {
                    for (Future<Boolean> rest : results.subList(i + 1, count)) {
                        rest.cancel(true);
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying sizes", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
        return works;
    }

    private static CliException noHeapWorks(Trace trace) {
        return CliException.usage(trace.source() + ": no heap up to the largest (" + Trace.MAX_HEAP
                + " bytes) serves every allocation");
    }

    /** Counts of held blocks by allocation number, to ask how many blocks allocated since a moment are held. */
    private static final class Fenwick {
        private final int[] tree;

        Fenwick(int n) {
            tree = new int[n + 1];
        }

        void add(int index, int delta) {
            for (int i = index + 1; i < tree.length; i += i & -i) {
                tree[i] += delta;
            }
        }

        /** The count over {@code [from, to)}. */
        int sum(int from, int to) {
            return prefix(to) - prefix(from);
        }

        private int prefix(int end) {
            int sum = 0;
            for (int i = end; i > 0; i -= i & -i) {
                sum += tree[i];
            }
            return sum;
        }
    }

    /**
     * The blocks held, less the {@code k} costliest (one per free that might have freed any of them): the sum
     * of the rest is what the heap certainly holds.
     */
    static final class Discounted {
        private final long[] cost;
        private final int[] payload;
        private final TreeSet<Long> left = new TreeSet<>();
        private final TreeSet<Long> rest = new TreeSet<>();
        private int k;
        private long sum;
        private long payloadSum;

        Discounted(long[] cost, int[] payload) {
            this.cost = cost;
            this.payload = payload;
        }

        private long key(int block) {
            return (cost[block] << 32) | block;
        }

        void add(int block) {
            long key = key(block);
            if (left.size() < k) {
                left.add(key);
            } else if (!left.isEmpty() && key > left.first()) {
                intoRest(left.pollFirst());
                left.add(key);
            } else {
                intoRest(key);
            }
        }

        void remove(int block) {
            long key = key(block);
            if (rest.remove(key)) {
                account(key, -1);
            } else if (left.remove(key) && !rest.isEmpty()) {
                long largest = rest.pollLast();
                account(largest, -1);
                left.add(largest);
            }
        }

        void discountOneMore() {
            k++;
            if (!rest.isEmpty()) {
                long largest = rest.pollLast();
                account(largest, -1);
                left.add(largest);
            }
        }

        private void intoRest(long key) {
            rest.add(key);
            account(key, 1);
        }

        private void account(long key, int sign) {
            int block = (int) key;
            sum += sign * cost[block];
            payloadSum += sign * (long) payload[block];
        }

        long sum() {
            return sum;
        }

        long payload() {
            return payloadSum;
        }

        int count() {
            return rest.size();
        }

        int discounted() {
            return left.size();
        }
    }
}
