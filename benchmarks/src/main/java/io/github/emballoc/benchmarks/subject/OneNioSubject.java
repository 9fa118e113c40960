package io.github.emballoc.benchmarks.subject;

import java.util.Arrays;
import one.nio.mem.Malloc;
import one.nio.mem.MallocMT;
import one.nio.mem.OutOfMemoryException;
import one.nio.mgt.Management;

/**
 * one-nio's {@link Malloc} (a simplified dlmalloc over native memory: 8-byte headers, requests rounded up to a
 * size class of up to 25% more) or its {@link MallocMT} (the region cut into segments, each a {@code Malloc},
 * a thread starting at a random one). Slots hold addresses, 0 when empty.
 *
 * <p>Configuration, from one-nio 2.2.0's sources: {@code new Malloc(region)} allocates and zeroes
 * {@code region} bytes of native memory, the first 1,024 of which hold its bin table; {@code new MallocMT(region)}
 * makes {@value MallocMT#DEFAULT_CONCURRENCY_LEVEL} segments (one-nio's default). {@code malloc} and
 * {@code free} are {@code synchronized} methods of {@code Malloc} (of the segment, for {@code MallocMT}):
 * every operation takes an uncontended monitor even on one thread, and that is one-nio's only locking,
 * so {@link Sharing} changes nothing here. A failed {@code malloc} throws {@link OutOfMemoryException}, which
 * is caught and counted as a failed allocation.
 *
 * <p>One-nio registers every {@code Malloc} as a JMX bean, which keeps it (and its native memory) reachable;
 * {@link #close()} unregisters them so that the memory is freed with the object.
 */
public final class OneNioSubject implements Subject {

    private final Malloc malloc;
    private final long[] addresses;

    /**
     * Makes a {@code Malloc} or {@code MallocMT} over a new native region.
     *
     * @param region the region's size in bytes (a multiple of 64 for {@code MallocMT})
     * @param segmented {@code MallocMT} rather than {@code Malloc}
     * @param slots how many slots
     */
    public OneNioSubject(long region, boolean segmented, int slots) {
        this.malloc = segmented ? new MallocMT(region) : new Malloc(region);
        this.addresses = new long[slots];
    }

    @Override
    public boolean allocate(int slot, int size) {
        try {
            addresses[slot] = malloc.malloc(size);
            return true;
        } catch (OutOfMemoryException full) {
            return false;
        }
    }

    @Override
    public void free(int slot) {
        long address = addresses[slot];
        if (address != 0) {
            addresses[slot] = 0;
            malloc.free(address);
        }
    }

    @Override
    public long regionBytes() {
        return malloc.getTotalMemory();
    }

    @Override
    public void close() {
        Arrays.fill(addresses, 0);
        if (malloc instanceof MallocMT) {
            MallocMT segmented = (MallocMT) malloc;
            for (int i = 0; i < segmented.segments(); i++) {
                unregister("Malloc", segmented.segment(i).base());
            }
            unregister("MallocMT", malloc.base());
        } else {
            unregister("Malloc", malloc.base());
        }
    }

    private static void unregister(String type, long base) {
        Management.unregisterMXBean("one.nio.mem:type=" + type + ",base=" + Long.toHexString(base));
    }

    @Override
    public String toString() {
        return malloc.getClass().getSimpleName() + "[" + malloc.getTotalMemory() + " bytes]";
    }
}
