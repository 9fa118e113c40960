package io.github.emballoc.api.debug;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.ForwardingAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * An {@link Allocator} that remembers where each live block was allocated and reports the live blocks
 * grouped by allocation site, to find which code leaks: in the manner of Netty's
 * {@code ResourceLeakDetector}, at one of three {@link Level levels}.
 *
 * <pre>{@code
 * LeakTracker allocator = LeakTracker.track(FirstFitAllocator.create(heap), LeakTracker.Level.EVERY);
 * ... run the program ...
 * LeakReport report = allocator.report();   // the live blocks by allocation site, as data
 * log.warn("live blocks:\n{}", report.toText());   // and as text, through the application's logger
 * }</pre>
 *
 * <h2>Levels and what they cost</h2>
 * <ul>
 *   <li>{@link Level#OFF}: every call goes straight to the allocator: no stack is captured, no record kept,
 *       no lock taken (one branch on a final field).</li>
 *   <li>{@link Level#SAMPLED}: one allocation in {@code samplingInterval} (chosen at random, 128 by default)
 *       is tracked; the others cost the random draw. A report then shows where leaking code allocates, not
 *       every leaked block.</li>
 *   <li>{@link Level#EVERY}: every allocation is tracked.</li>
 * </ul>
 * A tracked allocation captures its stack the way a {@link Throwable} does (the JVM's native capture; frames
 * are resolved to {@link StackTraceElement}s, the costly part, only when a report or site is asked for) and
 * asks the allocator for the block's usable size (one more walk for a linear allocator); at {@code SAMPLED}
 * and {@code EVERY}, each free and reallocation takes the tracker's lock and a map lookup. The benchmark
 * module measures each level per operation.
 *
 * <h2>What it keeps</h2>
 * A record per tracked live block (its captured stack, requested size, where its payload ends). A free (of
 * the handle, of an offset inside the block, or of its alignment padding) drops the record, and a
 * reallocation moves it to the new handle, keeping the original site. Blocks allocated before the tracker,
 * or not sampled, are passed through untracked. Calls that fail change no record. A report groups the
 * records by their first {@code stackDepth} frames outside emballoc's API (16 by default).
 *
 * <h2>Threads</h2>
 * At {@code OFF}, the allocator's own rules. Otherwise each tracked call runs the allocator's operation and
 * the record's change inside the tracker's lock (so a block cannot be freed between its allocation and its
 * record), and the tracker is as thread-safe as the allocator. Stacks are captured before the lock is taken.
 */
public final class LeakTracker extends ForwardingAllocator {

    /** How much a {@link LeakTracker} tracks. */
    public enum Level {
        /** Nothing: calls go straight to the allocator. */
        OFF,
        /** One allocation in {@code samplingInterval}, chosen at random. */
        SAMPLED,
        /** Every allocation. */
        EVERY
    }

    /** The sampling interval unless one is given: one allocation in 128 is tracked at {@link Level#SAMPLED}. */
    public static final int DEFAULT_SAMPLING_INTERVAL = 128;
    /** The stack depth unless one is given: 16 frames per allocation site. */
    public static final int DEFAULT_STACK_DEPTH = 16;

    /** Frames of classes under this prefix (the decorators, Allocator's default methods) are not the site. */
    private static final String API_PREFIX = "io.github.emballoc.api.";

    private final Level level;
    private final boolean on;
    private final int samplingInterval;
    private final int stackDepth;
    private final ReentrantLock lock = new ReentrantLock();
    private final TrackedBlocks<Tracked> tracked = new TrackedBlocks<>();

    private LeakTracker(Allocator allocator, Level level, int samplingInterval, int stackDepth) {
        super(allocator);
        this.level = level;
        this.on = level != Level.OFF;
        this.samplingInterval = level == Level.EVERY ? 1 : level == Level.OFF ? 0 : samplingInterval;
        this.stackDepth = stackDepth;
    }

    /**
     * Tracks {@code allocator} at {@code level}, with the default sampling interval and stack depth.
     *
     * @param allocator the allocator to track; every call must then go through the tracker
     * @param level how much to track
     * @return the tracker
     * @throws NullPointerException if an argument is {@code null}
     */
    public static LeakTracker track(Allocator allocator, Level level) {
        return builder(allocator).level(level).build();
    }

    /**
     * Starts configuring a tracker of {@code allocator}.
     *
     * @param allocator the allocator to track; every call must then go through the tracker
     * @return a builder at level {@link Level#SAMPLED}, interval {@value #DEFAULT_SAMPLING_INTERVAL}, depth
     *     {@value #DEFAULT_STACK_DEPTH}
     * @throws NullPointerException if {@code allocator} is {@code null}
     */
    public static Builder builder(Allocator allocator) {
        return new Builder(allocator);
    }

    /** Configures a {@link LeakTracker}. Not thread-safe: use it from one thread. */
    public static final class Builder {
        private final Allocator allocator;
        private Level level = Level.SAMPLED;
        private int samplingInterval = DEFAULT_SAMPLING_INTERVAL;
        private int stackDepth = DEFAULT_STACK_DEPTH;

        private Builder(Allocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
        }

        /**
         * Chooses how much to track.
         *
         * @param level the level
         * @return this builder
         * @throws NullPointerException if {@code level} is {@code null}
         */
        public Builder level(Level level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * Chooses how many allocations one tracked block stands for at {@link Level#SAMPLED} (ignored at the
         * other levels).
         *
         * @param interval 1 or more: each allocation is tracked with probability {@code 1 / interval}
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is less than 1
         */
        public Builder samplingInterval(int interval) {
            if (interval < 1) {
                throw new IllegalArgumentException("sampling interval " + interval + " is less than 1");
            }
            this.samplingInterval = interval;
            return this;
        }

        /**
         * Chooses how many frames of the allocating stack to keep per site.
         *
         * @param depth 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code depth} is less than 1
         */
        public Builder stackDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("stack depth " + depth + " is less than 1");
            }
            this.stackDepth = depth;
            return this;
        }

        /**
         * Builds the tracker.
         *
         * @return the tracker
         */
        public LeakTracker build() {
            return new LeakTracker(allocator, level, samplingInterval, stackDepth);
        }
    }

    /**
     * Returns the level this tracker was built with.
     *
     * @return the level
     */
    public Level level() {
        return level;
    }

    /**
     * Returns how many allocations one tracked block stands for.
     *
     * @return the interval at {@link Level#SAMPLED}, 1 at {@link Level#EVERY}, 0 at {@link Level#OFF}
     */
    public int samplingInterval() {
        return samplingInterval;
    }

    /**
     * Returns the allocator being tracked.
     *
     * @return the allocator given to the builder
     */
    public Allocator tracked() {
        return delegate;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tracked (its stack captured) when the level says so.
     */
    @Override
    public int allocate(int size, int alignment) {
        if (!on) {
            return delegate.allocate(size, alignment);
        }
        if (!sample()) {
            return delegate.allocate(size, alignment);
        }
        Throwable site = new AllocationSite();
        lock.lock();
        try {
            int handle = delegate.allocate(size, alignment);
            if (handle != NULL) {
                track(handle, site, size, alignment);
            }
            return handle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Drops the record of the block freed, if it was tracked.
     */
    @Override
    public void free(int handle) {
        if (!on) {
            delegate.free(handle);
            return;
        }
        lock.lock();
        try {
            int block = handle == NULL || tracked.isEmpty() ? NULL : tracked.holding(delegate, handle);
            delegate.free(handle);
            if (block != NULL) {
                untrack(block);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A tracked block keeps its allocation site, under its new handle and size. {@code reallocate(NULL, ...)}
     * is an allocation and is tracked as one.
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        if (!on) {
            return delegate.reallocate(handle, newSize, alignment);
        }
        if (handle == NULL) {
            if (!sample()) {
                return delegate.reallocate(NULL, newSize, alignment);
            }
            Throwable site = new AllocationSite();
            lock.lock();
            try {
                int fresh = delegate.reallocate(NULL, newSize, alignment);
                if (fresh != NULL) {
                    track(fresh, site, newSize, alignment);
                }
                return fresh;
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            int block = tracked.isEmpty() ? NULL : tracked.holding(delegate, handle);
            int moved = delegate.reallocate(handle, newSize, alignment);
            if (moved != NULL && block != NULL) {
                Tracked record = tracked.remove(block);
                record.size = newSize;
                // in place, the padding before the handle stays what it was
                record.alignment = moved == handle ? Math.max(record.alignment, alignment) : alignment;
                record.end = moved + delegate.usableSize(moved);
                tracked.put(moved, record);
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns where a tracked live block was allocated.
     *
     * @param handle the block's handle, as the allocation (or its last reallocation) returned it
     * @return its allocation site, innermost frame first; empty if no tracked live block has that handle
     */
    public Optional<List<StackTraceElement>> allocationSite(int handle) {
        if (!on) {
            return Optional.empty();
        }
        lock.lock();
        try {
            Tracked record = tracked.get(handle);
            return record == null ? Optional.empty() : Optional.of(frames(record.site));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports the tracked live blocks grouped by allocation site, largest first, with the number of used
     * blocks in the heap (from {@link #stats()}, one walk for a linear allocator).
     *
     * @return the report; empty at {@link Level#OFF}
     * @throws io.github.emballoc.api.HeapCorruptedException if the allocator's walk meets a bad header
     */
    public LeakReport report() {
        lock.lock();
        try {
            Map<List<StackTraceElement>, Group> groups = new LinkedHashMap<>();
            for (Map.Entry<Integer, Tracked> entry : tracked.entries()) {
                Group group = groups.computeIfAbsent(frames(entry.getValue().site), frames -> new Group());
                group.handles.add(entry.getKey());
                group.bytes += entry.getValue().size;
            }
            List<LeakReport.Site> report = groups.entrySet().stream()
                    .map(entry -> new LeakReport.Site(entry.getKey(), entry.getValue().handles.size(),
                            entry.getValue().bytes, entry.getValue().handles))
                    .sorted(Comparator.comparingLong(LeakReport.Site::bytes).reversed()
                            .thenComparing(Comparator.comparingInt(LeakReport.Site::blocks).reversed())
                            .thenComparing(site -> site.frames().isEmpty() ? "" : site.frames().get(0).toString()))
                    .collect(Collectors.toList());
            return new LeakReport(level, samplingInterval, delegate.stats().usedEntries(), report);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LeakTracker[" + level + ", " + delegate + "]";
    }

    private boolean sample() {
        return level == Level.EVERY || ThreadLocalRandom.current().nextInt(samplingInterval) == 0;
    }

    /** The frames of a captured stack, without emballoc's API frames on top, at most the stack depth. */
    private List<StackTraceElement> frames(Throwable site) {
        StackTraceElement[] all = site.getStackTrace();
        int first = 0;
        while (first < all.length && all[first].getClassName().startsWith(API_PREFIX)) {
            first++;
        }
        return List.of(Arrays.copyOfRange(all, first, Math.min(all.length, first + stackDepth)));
    }

    private void track(int handle, Throwable site, int size, int alignment) {
        tracked.put(handle, new Tracked(site, size, alignment, handle + delegate.usableSize(handle)));
    }

    private void untrack(int handle) {
        tracked.remove(handle);
    }

    /** The stack of a tracked allocation: captured natively, resolved to frames only when asked. */
    private static final class AllocationSite extends Throwable {
        private static final long serialVersionUID = 1L;

        AllocationSite() {
            super(null, null, false, true);
        }
    }

    /** The blocks of one site, while a report is made. */
    private static final class Group {
        final List<Integer> handles = new ArrayList<>();
        long bytes;
    }

    /** The record of one tracked live block. */
    private static final class Tracked extends TrackedBlocks.Block {
        final Throwable site;
        int size;

        Tracked(Throwable site, int size, int alignment, int end) {
            super(alignment, end);
            this.site = site;
            this.size = size;
        }
    }
}
