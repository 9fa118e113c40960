package io.github.emballoc.api.trace;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.ForwardingAllocator;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.image.HeaderDescriptor;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Allocator} that passes every call to another allocator and writes it to a trace
 * ({@code trace-format.md}), so that a program's real workload can be handed to {@code emballoc size} (the
 * smallest heap it needs) and {@code emballoc replay} (the same offsets, the same failures, step by step).
 *
 * <pre>{@code
 * try (TraceRecorder allocator = TraceRecorder.record(FirstFitAllocator.create(heap), Path.of("run.trace"))) {
 *     int block = allocator.allocate(64, 8);   // a b1 64 8
 *     allocator.free(block);                   // f b1
 * }
 * }</pre>
 *
 * <h2>What it writes</h2>
 * {@code heap CAPACITY} first, then a comment naming the allocator recorded (replay with the same fit and
 * coalescing), then one line per call that changes or tries to change the heap, in call order:
 * <ul>
 *   <li>{@code allocate}, {@code allocateOrThrow} and {@code reallocate(NULL, ...)}: {@code a ID SIZE [ALIGN]}
 *       with a fresh ID per call ({@code b1}, {@code b2}, ...), failed or not.</li>
 *   <li>{@code reallocate(p, ...)}: {@code r ID SIZE [ALIGN]}, where ID is the ID bound to {@code p}. An ID
 *       stays with its block for the block's life: a reallocation that moves the block moves the ID with it,
 *       as the replay's binding does.</li>
 *   <li>{@code free(p)}: {@code f ID [DELTA]}, where ID is bound at or below {@code p} and
 *       {@code DELTA = p - handle}: the block's own ID with no delta for its handle, with a delta for an
 *       offset inside it. A double free or a free of an offset no block holds is written the same way, with
 *       any ID bound at or below {@code p} (freed blocks keep their IDs, as in a replay), so that the replay
 *       makes the same call on the same heap and gets the same outcome. {@code free(NULL)} is written
 *       {@code f NULL}: an ID that is never bound, which a replay reports as {@code unknown-id} and, like
 *       {@code free(NULL)}, does nothing.</li>
 *   <li>Calls the format cannot say are written as {@code #} comments naming the call and its outcome: a free
 *       of an offset below every bound handle, a reallocation of an offset no ID is bound to (an offset inside
 *       a block), a {@code coalesce()}, and a call refused for its arguments or for a corrupt image. When
 *       such a call changed the heap (the free or reallocation succeeded, the coalesce merged entries, the
 *       image was corrupted behind the allocator's back), a replay diverges from there on, and
 *       {@link #isReplayable()} turns {@code false}. A call refused for its arguments changes nothing and
 *       leaves the trace replayable.</li>
 * </ul>
 * Reads ({@code usableSize}, {@code view}, {@code stats}, {@code walk}, {@code verify}, {@code counts}) are
 * passed on and not written.
 *
 * <p>A replay starts from a fresh heap, so a recording must too: the allocator given must hold exactly one
 * free entry over the whole heap (as built on a zeroed heap), and every call must go through the recorder.
 *
 * <h2>Output</h2>
 * Written through a {@link BufferedWriter}, flushed by {@link #flush()} and by {@link #close()}, which also
 * closes the file or writer. If writing fails, the recording stops (the allocator goes on working, and the
 * failure is logged once), {@link #isReplayable()} turns {@code false}, and {@code flush}/{@code close}
 * throw the first {@link IOException}. After {@code close}, calls still reach the allocator but are not
 * written: the trace holds the program up to the close.
 *
 * <h2>Threads</h2>
 * Every call that changes the heap runs its call to the allocator and its line inside one lock, so the
 * lines are in the order the calls took effect; the recorder is as thread-safe as the allocator it records
 * (which serialises its own operations in its critical section). Reads go straight to the allocator.
 * Recording makes objects (IDs, lines) and costs a buffered write per call: a tool for understanding a
 * workload, not for the hot path of production code.
 */
public final class TraceRecorder extends ForwardingAllocator implements Closeable {

    /*
     * Design notes.
     *
     * The recorder keeps the replay's binding of IDs to handles: `bound` maps a handle to an ID that a
     * replay of the lines written so far has bound to that handle (the newest such ID). An `a` binds its
     * fresh ID to the handle it got; an `r` that succeeds moves its ID to the new handle; an `f` unbinds
     * nothing (the replayer does not unbind on free), so freed blocks' IDs stay and serve as anchors for
     * double frees and stray offsets. Any call written as `f ID DELTA` with bound(ID) + DELTA == p makes the
     * replay call free(p) on the same heap, so it has the same outcome whichever ID is chosen; the floor
     * entry of p is the block's own ID whenever p lies at or after its block's handle.
     *
     * When an `r` moves an ID away from a handle, older IDs bound to that handle (blocks freed there before)
     * are still bound to it in the replay: `older` keeps one of them per handle, which takes the place of the
     * moved one, so that a double free of that offset can still be said. The two maps hold at most two IDs
     * per handle, so they are bounded by the number of distinct handles ever returned (at most capacity / 4),
     * not by the number of calls.
     */

    private static final Logger LOG = LoggerFactory.getLogger(TraceRecorder.class);

    /** The ID written for {@code free(NULL)}: never bound, as IDs made here are {@code b1}, {@code b2}, .... */
    static final String NULL_ID = "NULL";

    private final Writer out;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, String> bound = new TreeMap<>();
    private final Map<Integer, String> older = new HashMap<>();
    private long ids;
    private boolean replayable = true;
    private boolean closed;
    private IOException failure;

    private TraceRecorder(Allocator allocator, Writer out) {
        super(allocator);
        this.out = out;
    }

    /**
     * Starts recording {@code allocator} into {@code file} (created or truncated, UTF-8).
     *
     * @param allocator the allocator to record, on a fresh heap (one free entry over the whole heap)
     * @param file where the trace goes
     * @return the recorder, to be used instead of {@code allocator} and closed at the end
     * @throws IllegalArgumentException if the heap is not fresh (the message says what it holds); the file is
     *     not touched then
     * @throws IOException if the file cannot be opened or the first lines cannot be written
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TraceRecorder record(Allocator allocator, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        checkFresh(Objects.requireNonNull(allocator, "allocator"));
        return start(allocator, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /**
     * Starts recording {@code allocator} into {@code out}, buffered; {@link #close()} closes {@code out}.
     *
     * @param allocator the allocator to record, on a fresh heap (one free entry over the whole heap)
     * @param out where the trace goes
     * @return the recorder, to be used instead of {@code allocator} and closed at the end
     * @throws IllegalArgumentException if the heap is not fresh (the message says what it holds)
     * @throws IOException if the first lines cannot be written
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TraceRecorder record(Allocator allocator, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        checkFresh(Objects.requireNonNull(allocator, "allocator"));
        return start(allocator, out instanceof BufferedWriter ? out : new BufferedWriter(out));
    }

    private static TraceRecorder start(Allocator allocator, Writer out) throws IOException {
        try {
            out.write("heap " + allocator.heap().capacity() + "\n");
            out.write("# recorded from " + allocator + " (replay with the same fit and coalescing)\n");
        } catch (IOException e) {
            try {
                out.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new TraceRecorder(allocator, out);
    }

    private static void checkFresh(Allocator allocator) {
        HeapStats stats = allocator.stats();
        int whole = stats.capacity() - HeaderDescriptor.HEADER_LENGTH;
        if (stats.usedEntries() != 0 || stats.freeEntries() != 1 || stats.largestFree() != whole) {
            throw new IllegalArgumentException("a recording starts on a fresh heap (one free entry of " + whole
                    + " bytes), so that its replay starts from the same state, but " + allocator + " holds "
                    + stats.usedEntries() + " used and " + stats.freeEntries() + " free entries, the largest free "
                    + stats.largestFree() + " bytes");
        }
    }

    /**
     * Returns the allocator being recorded.
     *
     * @return the allocator given to {@code record}
     */
    public Allocator recorded() {
        return delegate;
    }

    /**
     * Tells whether a replay of the trace written so far reproduces the calls made so far: every call that
     * changed the heap was written as a trace line and every line was written.
     *
     * @return {@code false} once a call that changed the heap could only be written as a comment (see the
     *     class description), or writing failed
     */
    public boolean isReplayable() {
        lock.lock();
        try {
            return replayable;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Written as {@code a ID SIZE [ALIGN]} with a fresh ID, whether it succeeds or not.
     */
    @Override
    public int allocate(int size, int alignment) {
        lock.lock();
        try {
            int handle;
            try {
                handle = delegate.allocate(size, alignment);
            } catch (RuntimeException e) {
                refused("allocate(" + size + ", " + alignment + ")", e);
                throw e;
            }
            allocated(handle, size, alignment);
            return handle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Written as {@code f ID [DELTA]} (or {@code f NULL}), whatever the outcome; see the class description.
     */
    @Override
    public void free(int handle) {
        lock.lock();
        try {
            if (handle == NULL) {
                delegate.free(NULL);
                line("f " + NULL_ID);
                return;
            }
            Map.Entry<Integer, String> anchor = bound.floorEntry(handle);
            try {
                delegate.free(handle);
            } catch (DoubleFreeException | InvalidFreeException e) {
                freed(handle, anchor, false); // nothing changed; the replay is refused the same way
                throw e;
            } catch (RuntimeException e) {
                refused("free(" + handle + ")", e);
                throw e;
            }
            freed(handle, anchor, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Written as {@code r ID SIZE [ALIGN]} with the ID bound to {@code handle} (or as {@code a} with a fresh
     * ID for {@link #NULL}), whatever the outcome; an offset no ID is bound to is written as a comment.
     */
    @Override
    public int reallocate(int handle, int newSize, int alignment) {
        lock.lock();
        try {
            if (handle == NULL) {
                int fresh;
                try {
                    fresh = delegate.reallocate(NULL, newSize, alignment);
                } catch (RuntimeException e) {
                    refused(reallocateCall(handle, newSize, alignment), e);
                    throw e;
                }
                allocated(fresh, newSize, alignment);
                return fresh;
            }
            String id = bound.get(handle);
            int moved;
            try {
                moved = delegate.reallocate(handle, newSize, alignment);
            } catch (DoubleFreeException | InvalidFreeException e) {
                reallocated(id, handle, newSize, alignment, NULL, true); // nothing changed, as in the replay
                throw e;
            } catch (RuntimeException e) {
                refused(reallocateCall(handle, newSize, alignment), e);
                throw e;
            }
            reallocated(id, handle, newSize, alignment, moved, false);
            return moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The trace format has no coalesce: written as a comment, and a coalesce that merged entries makes the
     * trace no longer replayable (see {@link #isReplayable()}).
     */
    @Override
    public int coalesce() {
        lock.lock();
        try {
            int merges;
            try {
                merges = delegate.coalesce();
            } catch (RuntimeException e) {
                refused("coalesce()", e);
                throw e;
            }
            if (merges == 0) {
                line("# coalesce() merged nothing");
            } else {
                unsayable("coalesce()", "merged " + merges + (merges == 1 ? " entry" : " entries"),
                        "the trace format has no coalesce", true);
            }
            return merges;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes out the lines buffered so far.
     *
     * @throws IOException if writing fails now or failed earlier (the first failure)
     */
    public void flush() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            if (!closed) {
                out.flush();
            }
        } catch (IOException e) {
            failed(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the recording: writes out the buffered lines and closes the file or writer. Calls made afterwards
     * still reach the allocator and are not written. Closing again does nothing.
     *
     * @throws IOException if writing or closing fails now, or writing failed earlier (the first failure)
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                failed(e);
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TraceRecorder[" + delegate + "]";
    }

    private void allocated(int handle, int size, int alignment) {
        String id = "b" + (++ids);
        if (handle != NULL) {
            bind(handle, id);
        }
        line("a " + id + " " + size + (alignment == 1 ? "" : " " + alignment));
    }

    private void freed(int handle, Map.Entry<Integer, String> anchor, boolean freed) {
        if (anchor == null) {
            unsayable("free(" + handle + ")", freed ? "freed a block" : "was refused",
                    "no ID is bound at or below offset " + handle, freed);
        } else if (anchor.getKey() == handle) {
            line("f " + anchor.getValue());
        } else {
            line("f " + anchor.getValue() + " " + (handle - anchor.getKey()));
        }
    }

    private void reallocated(String id, int handle, int newSize, int alignment, int moved, boolean refused) {
        if (id != null) {
            line("r " + id + " " + newSize + (alignment == 1 ? "" : " " + alignment));
            if (moved != NULL && moved != handle) {
                String previous = older.remove(handle);
                if (previous == null) {
                    bound.remove(handle);
                } else {
                    bound.put(handle, previous);
                }
                bind(moved, id);
            }
        } else {
            String outcome = refused ? "was refused" : moved == NULL ? "returned NULL" : "returned " + moved;
            unsayable(reallocateCall(handle, newSize, alignment), outcome, "no ID is bound to offset " + handle,
                    moved != NULL);
        }
    }

    private static String reallocateCall(int handle, int newSize, int alignment) {
        return "reallocate(" + handle + ", " + newSize + ", " + alignment + ")";
    }

    /** Records that a replay binds {@code id} to {@code handle}, keeping one older ID bound there. */
    private void bind(int handle, String id) {
        String previous = bound.put(handle, id);
        if (previous != null) {
            older.put(handle, previous);
        }
    }

    /** A call the allocator refused with something other than a double or invalid free. */
    private void refused(String call, RuntimeException e) {
        // Bad arguments change nothing; anything else (a corrupt image) means the heap was written behind the
        // allocator's back, which no replay reproduces.
        if (!(e instanceof IllegalArgumentException)) {
            replayable = false;
        }
        line("# " + call + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** A call the trace format cannot say; it breaks the replay if it changed the heap. */
    private void unsayable(String call, String outcome, String why, boolean changed) {
        if (changed) {
            replayable = false;
        }
        line("# " + call + " " + outcome + "; not in the trace: " + why
                + (changed ? " (a replay differs from here on)" : ""));
    }

    private void line(String line) {
        if (closed || failure != null) {
            return;
        }
        try {
            out.write(line.replace('\n', ' '));
            out.write('\n');
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(IOException e) {
        if (failure == null) {
            failure = e;
            replayable = false;
            LOG.warn("recording of {} stopped: writing the trace failed", delegate, e);
        }
    }
}
