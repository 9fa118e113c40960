package io.github.emballoc.cli;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

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
        List<Trace.Operation> operations = trace.operations();
        int allocations = 0;
        for (Trace.Operation op : operations) {
            if (op.kind() == Trace.Kind.ALLOCATE) {
                allocations++;
            }
        }
        long[] cost = new long[allocations];
        int[] payload = new int[allocations];
        int[] allocatedAt = new int[allocations];
        int[] freedWhenBlocks = new int[allocations];
        boolean[] held = new boolean[allocations];
        Fenwick heldTree = new Fenwick(allocations);
        int[] bound = new int[trace.idCount()];
        Arrays.fill(bound, -1);
        Discounted counted = new Discounted(cost, payload);
        int blocks = 0;
        int lastUncertain = -1;
        long bestBytes = 0;
        long bestPayload = 0;
        int bestBlocks = 0;
        int bestLine = 0;
        int bestDiscounted = 0;
        // The nominal peak: a block is held from its 'a' until the next 'f' of its ID (any delta).
        boolean[] nominallyHeld = new boolean[allocations];
        long nominalBytes = 0;
        long nominalPayload = 0;
        int nominalBlocks = 0;
        Peak nominal = new Peak(0, 0, 0, 0);
        for (int i = 0; i < operations.size(); i++) {
            Trace.Operation op = operations.get(i);
            if (op.kind() == Trace.Kind.ALLOCATE) {
                long bytes = entryBytes(op.size(), op.alignment());
                if (bytes > Trace.MAX_HEAP) {
                    throw CliException.usage(trace.source() + ":" + op.line() + ": no heap can serve '"
                            + op.toTraceLine() + "': its entry needs " + bytes + " bytes with its header, more "
                            + "than the largest heap (" + Trace.MAX_HEAP + " bytes)");
                }
                int b = blocks++;
                cost[b] = bytes;
                payload[b] = op.size();
                allocatedAt[b] = i;
                held[b] = true;
                heldTree.add(b, 1);
                bound[op.idIndex()] = b;
                nominallyHeld[b] = true;
                nominalBytes += bytes;
                nominalPayload += op.size();
                nominalBlocks++;
                if (nominalBytes > nominal.bytes) {
                    nominal = new Peak(nominalBytes, nominalPayload, nominalBlocks, op.line());
                }
                counted.add(b);
                if (counted.sum() > bestBytes) {
                    bestBytes = counted.sum();
                    bestPayload = counted.payload();
                    bestBlocks = counted.count();
                    bestLine = op.line();
                    bestDiscounted = counted.discounted();
                }
                continue;
            }
            int b = bound[op.idIndex()];
            if (b < 0) {
                continue; // unknown ID: nothing is freed
            }
            if (nominallyHeld[b]) {
                nominallyHeld[b] = false;
                nominalBytes -= cost[b];
                nominalPayload -= payload[b];
                nominalBlocks--;
            }
            if (held[b]) {
                if (op.delta() == 0 && allocatedAt[b] > lastUncertain) {
                    // Certainly live (allocated after every free that could have hit it): freed exactly.
                    held[b] = false;
                    heldTree.add(b, -1);
                    freedWhenBlocks[b] = blocks;
                    counted.remove(b);
                    continue;
                }
            } else if (op.delta() == 0 && heldTree.sum(freedWhenBlocks[b], blocks) == 0) {
                // Its block was freed, and every block allocated since is freed too: no used block can hold the
                // offset, so this is a double free (or not found) and frees nothing.
                continue;
            }
            counted.discountOneMore();
            lastUncertain = i;
        }
        if (bestBytes > Trace.MAX_HEAP) {
            throw CliException.usage(trace.source() + ":" + bestLine + ": no heap can hold this trace: after this "
                    + "line the blocks held need " + bestBytes + " bytes with their headers, more than the largest "
                    + "heap (" + Trace.MAX_HEAP + " bytes)");
        }
        int bytes = (int) Math.max(Trace.MIN_HEAP, bestBytes);
        return new LowerBound(bytes, bestBytes, bestPayload, bestBlocks, bestLine, bestDiscounted, nominal);
    }

    /** Whether no allocation of the trace fails on a heap of {@code size} bytes. */
    static boolean fits(Trace trace, Allocators allocators, int size) {
        return TraceReplayer.replay(trace, allocators.build(RawHeaps.allocate(size)), true).failedAllocations() == 0;
    }

    /**
     * Searches upward from the bound.
     *
     * @param maxReplays the replays the linear scan may use before it jumps
     * @throws CliException (status 2) if no heap up to the largest works
     */
    static Outcome search(Trace trace, Allocators allocators, int lowerBound, int maxReplays) {
        int replays = 0;
        long size = lowerBound;
        while (replays < maxReplays) {
            if (size > Trace.MAX_HEAP) {
                throw noHeapWorks(trace);
            }
            replays++;
            if (fits(trace, allocators, (int) size)) {
                return new Outcome((int) size, replays, true, (int) size - 4, new long[0], new boolean[0]);
            }
            size += 4;
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
