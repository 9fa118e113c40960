package io.github.emballoc.firstfit.crash;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.DurableAllocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapFileLockedException;
import io.github.emballoc.api.MappedHeap;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The process the kill test kills: it maps the heap file, builds an allocator on it, and runs random
 * operations (allocate with alignments, free, reallocate, coalesce) until it is killed, reporting each
 * completed step in the {@link CrashLog}.
 *
 * <p>{@code run HEAP LOG CAPACITY SEED ALLOCATOR_CLASS FIT COALESCING DURABLE}: the allocator is built by
 * reflection from {@code ALLOCATOR_CLASS}, which must have a static {@code builder(RawHeap)} whose builder has
 * {@code fit(Fit)}, {@code coalescing(Coalescing)} and {@code build()} (as {@code FirstFitAllocator} and
 * {@code IndexedAllocator} have). With {@code DURABLE} {@code true} the allocator is a
 * {@link DurableAllocator}, payload writes are forced, and every log record is forced before the next step:
 * the protocol that survives a power loss. With {@code false} nothing is forced at all: what a process kill
 * leaves needs no {@code force()}. It prints {@code ready} once it has attached and checked the blocks the log
 * reports live, then works until killed.
 *
 * <p>{@code probe HEAP CAPACITY}: tries to map the heap and prints {@code opened}, or {@code refused: } and
 * the {@link HeapFileLockedException}'s message.
 */
final class CrashChild {

    private static final int[] ALIGNMENTS = {1, 1, 1, 2, 4, 8, 8, 16, 32, 64, 256};

    private final RawHeap heap;
    private final Allocator allocator;
    private final CrashLog log;
    private final boolean durable;
    private final SplittableRandom random;
    private final List<Integer> handles = new ArrayList<>();
    private final Map<Integer, byte[]> payloads = new HashMap<>();

    private CrashChild(RawHeap heap, Allocator allocator, CrashLog log, boolean durable, long seed) {
        this.heap = heap;
        this.allocator = allocator;
        this.log = log;
        this.durable = durable;
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("probe")) {
            try (MappedHeap heap = RawHeaps.map(Paths.get(args[1]), Integer.parseInt(args[2]))) {
                System.out.println("opened " + heap.capacity());
            } catch (HeapFileLockedException refused) {
                System.out.println("refused: " + refused.getMessage());
            }
            return;
        }
        Path heapFile = Paths.get(args[1]);
        Path logFile = Paths.get(args[2]);
        int capacity = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        String allocatorClass = args[5];
        Fit fit = Fit.valueOf(args[6]);
        Coalescing coalescing = Coalescing.valueOf(args[7]);
        boolean durable = Boolean.parseBoolean(args[8]);

        MappedHeap heap = RawHeaps.map(heapFile, capacity); // held until the process dies
        Allocator allocator = build(allocatorClass, heap, fit, coalescing);
        if (durable) {
            allocator = DurableAllocator.of(allocator);
        }
        CrashChild child = new CrashChild(heap, allocator, CrashLog.append(logFile, durable), durable, seed);
        child.adopt(CrashLog.read(logFile));
        System.out.println("ready");
        System.out.flush();
        child.work();
    }

    /** Builds an allocator through the builder the strategy class offers. */
    static Allocator build(String allocatorClass, RawHeap heap, Fit fit, Coalescing coalescing)
            throws ReflectiveOperationException {
        Object builder = Class.forName(allocatorClass).getMethod("builder", RawHeap.class).invoke(null, heap);
        builder.getClass().getMethod("fit", Fit.class).invoke(builder, fit);
        builder.getClass().getMethod("coalescing", Coalescing.class).invoke(builder, coalescing);
        return (Allocator) builder.getClass().getMethod("build").invoke(builder);
    }

    /** Takes over the live blocks of the log (the parent has checked them and left nothing in flight). */
    private void adopt(CrashLog.State state) {
        if (state.inFlight() != null) {
            throw new IllegalStateException("the log ends with an operation in flight: " + state.inFlight());
        }
        for (CrashLog.Block block : state.live().values()) {
            byte[] payload = new byte[block.size()];
            heap.getBytes(block.handle(), payload, 0, payload.length);
            if (CrashLog.crc(payload) != block.crc()) {
                throw new IllegalStateException("block " + block + " does not hold its payload");
            }
            handles.add(block.handle());
            payloads.put(block.handle(), payload);
        }
    }

    private void work() throws IOException {
        while (true) {
            int roll = random.nextInt(100);
            if (handles.isEmpty() || roll < 45) {
                allocate();
            } else if (roll < 75) {
                free();
            } else if (roll < 97) {
                reallocate();
            } else {
                allocator.coalesce();
            }
        }
    }

    private int size() {
        return random.nextInt(8) == 0 ? random.nextInt(1500) : random.nextInt(120);
    }

    private void allocate() throws IOException {
        int size = size();
        int handle = allocator.allocate(size, ALIGNMENTS[random.nextInt(ALIGNMENTS.length)]);
        if (handle == Allocator.NULL) {
            if (!handles.isEmpty()) {
                free();
            }
            return;
        }
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        heap.putBytes(handle, payload, 0, size);
        if (durable) {
            heap.force();
        }
        log.allocated(handle, size, CrashLog.crc(payload));
        handles.add(handle);
        payloads.put(handle, payload);
    }

    private int takeRandomHandle() {
        int index = random.nextInt(handles.size());
        int handle = handles.get(index);
        handles.set(index, handles.get(handles.size() - 1));
        handles.remove(handles.size() - 1);
        return handle;
    }

    private void free() throws IOException {
        int handle = takeRandomHandle();
        payloads.remove(handle);
        log.freeing(handle);
        allocator.free(handle);
        log.freed(handle);
    }

    private void reallocate() throws IOException {
        int handle = takeRandomHandle();
        byte[] old = payloads.remove(handle);
        int newSize = size();
        log.reallocating(handle, newSize, CrashLog.crc(old, Math.min(old.length, newSize)));
        int moved = allocator.reallocate(handle, newSize, ALIGNMENTS[random.nextInt(ALIGNMENTS.length)]);
        if (moved == Allocator.NULL) {
            log.notMoved(handle);
            handles.add(handle);
            payloads.put(handle, old);
            return;
        }
        log.moved(handle, moved);
        byte[] payload = new byte[newSize];
        int kept = Math.min(old.length, newSize);
        heap.getBytes(moved, payload, 0, kept);
        for (int i = 0; i < kept; i++) {
            if (payload[i] != old[i]) {
                throw new IllegalStateException("reallocate(" + handle + ", " + newSize + ") to " + moved
                        + " changed byte " + i + " of the block");
            }
        }
        byte[] extension = new byte[newSize - kept];
        random.nextBytes(extension);
        System.arraycopy(extension, 0, payload, kept, extension.length);
        heap.putBytes(moved + kept, extension, 0, extension.length);
        if (durable) {
            heap.force();
        }
        log.allocated(moved, newSize, CrashLog.crc(payload));
        handles.add(moved);
        payloads.put(moved, payload);
    }
}
