package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Long seeded random operation sequences (allocations, frees inside blocks, double frees, reallocations that
 * shrink, grow or move, and {@code coalesce()}) checked step by step against {@link LiveBlocks}, and the
 * shrinking of a failing sequence: first the shortest failing prefix, then as many operations removed as
 * still fail, printed as a trace ({@code trace-format.md}: {@code a}, {@code f} and {@code r} lines) that
 * reproduces the failure. The trace format has no command for {@code coalesce()}: a reduced sequence that
 * still needs one shows it as a {@code # coalesce()} comment line.
 */
final class RandomWorkload {

    /** Heap sizes a sequence runs on, chosen by its seed. */
    private static final int[] CAPACITIES = {4096, 65536, 1024, 16384};

    /** Steps between two full checks (payloads, walk, stats, verify). */
    private static final int FULL_CHECK_EVERY = 32;

    /** Replays a shrink may spend, and for how long. */
    private static final int SHRINK_REPLAYS = 400;
    private static final long SHRINK_NANOS = 20_000_000_000L;

    private RandomWorkload() {
    }

    enum Kind { ALLOCATE, FREE, DOUBLE_FREE, REALLOCATE, COALESCE }

    /** One operation, concrete enough to be replayed without the generator. */
    record Op(Kind kind, int id, int size, int alignment, int delta) {
        String traceLine() {
            return switch (kind) {
                case ALLOCATE -> "a b" + id + " " + size + (alignment == 1 ? "" : " " + alignment);
                case FREE, DOUBLE_FREE -> "f b" + id + (delta == 0 ? "" : " " + delta);
                case REALLOCATE -> "r b" + id + " " + size + (alignment == 1 ? "" : " " + alignment);
                // trace-format.md has no command for coalesce(): the line is a comment that a replay skips
                case COALESCE -> "# coalesce()";
            };
        }
    }

    /**
     * Thrown by a replay while shrinking when an operation no longer makes sense without the ones removed (a free
     * by an interior offset past the end of a block that is smaller now): the candidate is not a reproduction.
     */
    private static final class NotReplayable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReplayable() {
            super(null, null, false, false);
        }
    }

    /** Makes a fresh allocator over a fresh heap, as the contract under test does. */
    interface Factory {
        Allocator create(int capacity) throws Exception;
    }

    static int capacityFor(long seed) {
        return CAPACITIES[(int) Math.floorMod(seed ^ (seed >>> 29), CAPACITIES.length)];
    }

    /** Runs the sequence of {@code seed}; on failure throws an {@link AssertionError} describing the shrunk case. */
    static void run(Factory factory, Set<AllocatorFeature> features, long seed, int length) throws Exception {
        int capacity = capacityFor(seed);
        List<Op> ops = new ArrayList<>();
        Execution execution = new Execution(factory.create(capacity), features);
        Generator generator = new Generator(seed, capacity, features);
        try {
            for (int step = 0; step < length; step++) {
                Op op = generator.next(execution, step);
                ops.add(op);
                execution.apply(op);
                if (step % FULL_CHECK_EVERY == FULL_CHECK_EVERY - 1) {
                    execution.fullCheck("after operation " + step);
                }
            }
            SplittableRandom drain = new SplittableRandom(seed ^ 0xD4A1L);
            while (execution.model.count() > 0) {
                Op op = new Op(Kind.FREE, execution.model.random(drain).id, 0, 0, 0);
                ops.add(op);
                execution.apply(op);
            }
            execution.fullCheck("after freeing every block");
            execution.finalCheck();
        } catch (AssertionError | RuntimeException failure) {
            throw report(factory, features, seed, capacity, length, ops, failure);
        }
    }

    private static AssertionError report(Factory factory, Set<AllocatorFeature> features, long seed, int capacity,
                                         int length, List<Op> ops, Throwable failure) {
        StringBuilder out = new StringBuilder();
        out.append("random sequence failed: seed ").append(seed).append(" (heap of ").append(capacity)
                .append(" bytes, ").append(length).append(" operations); replay just this seed with -D")
                .append(AllocatorContract.SEED_PROPERTY).append('=').append(seed).append('\n');
        out.append("failed at operation ").append(ops.size() - 1).append(" (")
                .append(ops.isEmpty() ? "creating the allocator" : ops.get(ops.size() - 1).traceLine())
                .append("): ").append(failure).append('\n');
        long deadline = System.nanoTime() + SHRINK_NANOS;
        int[] budget = {SHRINK_REPLAYS};
        Throwable full = replay(factory, features, capacity, ops, budget);
        if (full == null) {
            out.append("replaying the recorded operations on a fresh heap did not fail again: the allocator is not"
                    + " deterministic, or depends on state outside the heap\n");
            return new AssertionError(out.toString(), failure);
        }
        int lo = 1;
        int hi = ops.size();
        while (lo < hi && budget[0] > 0 && System.nanoTime() < deadline) {
            int mid = (lo + hi) >>> 1;
            if (replay(factory, features, capacity, ops.subList(0, mid), budget) != null) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        List<Op> reduced = new ArrayList<>(ops.subList(0, hi));
        out.append("shortest failing prefix: ").append(hi).append(" operations\n");
        Throwable last = replay(factory, features, capacity, reduced, budget);
        for (int chunk = reduced.size() / 2; chunk >= 1 && budget[0] > 0; chunk /= 2) {
            int i = 0;
            while (i < reduced.size() && budget[0] > 0 && System.nanoTime() < deadline) {
                List<Op> candidate = new ArrayList<>(reduced.subList(0, i));
                candidate.addAll(reduced.subList(Math.min(reduced.size(), i + chunk), reduced.size()));
                Throwable result = candidate.isEmpty() ? null : replay(factory, features, capacity, candidate, budget);
                if (result != null) {
                    reduced = candidate;
                    last = result;
                } else {
                    i += chunk;
                }
            }
        }
        out.append("reduced to ").append(reduced.size()).append(" operations, as a trace:\n");
        out.append("heap ").append(capacity).append('\n');
        for (Op op : reduced) {
            out.append(op.traceLine()).append('\n');
        }
        out.append("which fails with: ").append(last);
        return new AssertionError(out.toString(), failure);
    }

    /** Replays {@code ops} on a fresh allocator with every check; returns the failure, or null if none. */
    private static Throwable replay(Factory factory, Set<AllocatorFeature> features, int capacity, List<Op> ops,
                                    int[] budget) {
        budget[0]--;
        try {
            Execution execution = new Execution(factory.create(capacity), features);
            for (int step = 0; step < ops.size(); step++) {
                execution.apply(ops.get(step));
            }
            execution.fullCheck("at the end of the replay");
            return null;
        } catch (NotReplayable notAReproduction) {
            return null;
        } catch (AssertionError | RuntimeException failure) {
            return failure;
        } catch (Exception e) {
            return new AssertionError("could not make a heap or allocator to replay on", e);
        }
    }

    /** Applies operations to one allocator and checks each against the model. */
    static final class Execution {
        final Allocator allocator;
        final LiveBlocks model;
        final boolean image;
        final HeapStats fresh;
        final boolean coalesces;
        private int lastFreed = -1;
        private int lastFreedOffset;

        Execution(Allocator allocator, Set<AllocatorFeature> features) {
            this.allocator = allocator;
            this.model = new LiveBlocks(allocator);
            this.image = features.contains(AllocatorFeature.EMBALLOC_IMAGE_FORMAT);
            this.coalesces = features.contains(AllocatorFeature.COALESCES_FULLY);
            this.fresh = allocator.stats();
        }

        void apply(Op op) {
            int freedBefore = lastFreed;
            lastFreed = -1;
            switch (op.kind()) {
                case ALLOCATE -> model.allocate(op.id(), op.size(), op.alignment());
                case FREE -> {
                    LiveBlocks.Block block = model.get(op.id());
                    if (block == null) {
                        return;                      // its allocation failed, or was removed while shrinking
                    }
                    if (op.delta() > 0 && op.delta() >= block.size) {
                        throw new NotReplayable();       // the block was larger when this free was drawn
                    }
                    model.checkPattern(block, "before freeing it");
                    try {
                        allocator.free(block.handle + op.delta());
                    } catch (RuntimeException e) {
                        throw new AssertionError("free(" + (block.handle + op.delta()) + ") of live block " + block
                                + " threw " + e, e);
                    }
                    model.remove(block);
                    lastFreed = op.id();
                    lastFreedOffset = block.handle + op.delta();
                }
                case DOUBLE_FREE -> {
                    if (freedBefore != op.id()) {
                        return;                      // only right after the block's own free
                    }
                    doubleFree(op);
                }
                case REALLOCATE -> {
                    LiveBlocks.Block block = model.get(op.id());
                    if (block != null) {
                        model.reallocate(block, op.size(), op.alignment(), image);
                    }
                }
                case COALESCE -> model.coalesce();
            }
        }

        private void doubleFree(Op op) {
            HeapStats before = allocator.stats();
            RawHeap heap = allocator.heap();
            int handle = lastFreedOffset;
            try {
                allocator.free(handle);
            } catch (DoubleFreeException expected) {
                HeapStats after = allocator.stats();
                if (!after.equals(before)) {
                    fail("a refused double free of b" + op.id() + " (offset " + handle + ") changed the heap: stats"
                            + " went from " + before + " to " + after);
                }
                return;
            } catch (RuntimeException other) {
                throw new AssertionError("freeing b" + op.id() + " (offset " + handle + ") a second time threw "
                        + other + ", expected DoubleFreeException", other);
            }
            fail("freeing b" + op.id() + " (offset " + handle + ") a second time, right after its free, returned"
                    + " normally; expected DoubleFreeException (heap of " + heap.capacity() + " bytes)");
        }

        void fullCheck(String context) {
            model.checkAllPatterns(context);
            model.checkAgreement(context, image);
            if (coalesces) {
                String pair = Walk.of(allocator).neighbouringFreePair();
                if (pair != null) {
                    fail(context + ": the free entries " + pair + " are neighbours, which an allocator that"
                            + " declares COALESCES_FULLY never leaves");
                }
            }
        }

        void finalCheck() {
            if (coalesces) {
                model.checkFullyCoalesced(fresh, image, "after freeing every block");
            }
        }
    }

    /** Draws operations: size mixes from tiny to near the capacity, alignments to 4096, random frees. */
    static final class Generator {
        private final SplittableRandom random;
        private final int capacity;
        private final boolean zeroSizes;
        private final boolean inside;
        private int nextId;
        private Op pendingDoubleFree;

        Generator(long seed, int capacity, Set<AllocatorFeature> features) {
            this.random = new SplittableRandom(seed);
            this.capacity = capacity;
            this.zeroSizes = features.contains(AllocatorFeature.ZERO_SIZE_FREEABLE);
            this.inside = features.contains(AllocatorFeature.FREE_INSIDE_BLOCK);
        }

        Op next(Execution execution, int step) {
            if (pendingDoubleFree != null) {
                Op op = pendingDoubleFree;
                pendingDoubleFree = null;
                return op;
            }
            int live = execution.model.count();
            boolean filling = (step / 150) % 2 == 0;
            double allocateChance = live == 0 ? 1.0 : filling ? 0.7 : 0.3;
            if (random.nextDouble() < allocateChance) {
                return new Op(Kind.ALLOCATE, nextId++, size(), alignment(), 0);
            }
            LiveBlocks.Block block = execution.model.random(random);
            int kind = random.nextInt(100);
            if (kind < 20) {
                return new Op(Kind.REALLOCATE, block.id, newSize(block.size), random.nextInt(4) == 0 ? alignment() : 1,
                        0);
            }
            if (kind < 23) {
                return new Op(Kind.COALESCE, 0, 0, 0, 0);
            }
            int delta = inside && block.size > 1 && random.nextInt(3) == 0 ? random.nextInt(block.size) : 0;
            if (random.nextInt(20) == 0) {
                pendingDoubleFree = new Op(Kind.DOUBLE_FREE, block.id, 0, 0, delta);
            }
            return new Op(Kind.FREE, block.id, 0, 0, delta);
        }

        private int size() {
            int kind = random.nextInt(100);
            if (kind < 40) {
                return zeroSizes ? random.nextInt(17) : 1 + random.nextInt(16);
            } else if (kind < 70) {
                return 17 + random.nextInt(240);
            } else if (kind < 88) {
                return 1 + random.nextInt(Math.max(1, capacity / 16));
            } else if (kind < 96) {
                return 1 + random.nextInt(Math.max(1, capacity / 2));
            }
            return Math.max(1, capacity - random.nextInt(64));
        }

        /** A new size for a block of {@code old} bytes: smaller, a little larger, or drawn afresh. */
        private int newSize(int old) {
            int kind = random.nextInt(3);
            if (kind == 0 && old > 1) {
                return zeroSizes ? random.nextInt(old) : 1 + random.nextInt(old - 1);
            } else if (kind == 1) {
                return old + 1 + random.nextInt(64);
            }
            return size();
        }

        private int alignment() {
            int kind = random.nextInt(100);
            if (kind < 55) {
                return 1;
            } else if (kind < 70) {
                return 4;
            } else if (kind < 80) {
                return 8;
            }
            return 1 << (1 + random.nextInt(12));
        }
    }
}
