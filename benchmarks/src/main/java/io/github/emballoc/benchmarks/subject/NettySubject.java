package io.github.emballoc.benchmarks.subject;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.Arrays;

/**
 * Netty's {@link PooledByteBufAllocator} held to one chunk that is the region. Slots hold the
 * {@link ByteBuf}s, {@code null} when empty.
 *
 * <p>Configuration, from Netty 4.1's sources: one heap arena and no direct arena ({@code nHeapArena = 1,
 * nDirectArena = 0}), so every buffer comes from the same arena and its chunks are {@code byte[]}s; page size
 * 8 KiB (Netty's default) and {@code maxOrder} chosen so that the chunk, {@code pageSize << maxOrder}, is exactly
 * the region (Netty allows powers of two up to {@code 8 KiB << 14} = 128 MiB with that page size; larger regions
 * get larger pages); thread caches off ({@code smallCacheSize = normalCacheSize = 0},
 * {@code useCacheForAllThreads = false}, no cache alignment), so that every allocate and release goes to the
 * arena as this project's allocators do; resource-leak detection {@linkplain ResourceLeakDetector#setLevel
 * disabled} (its default, {@code SIMPLE}, records a stack trace for 1 allocation in 128). Netty's own locks (the
 * arena's and the size class's) are taken on every operation, on one thread as on two. Buffers come from
 * Netty's per-thread object recycler, as they do for every user.
 *
 * <p>Netty does not fail when its chunk is full: it adds another chunk. Here an allocation served outside the
 * region's chunk (its {@code array()} is not the region's array) is released at once and counted as failed.
 * The region's chunk is found when the subject is made, by allocating and releasing one buffer of
 * {@code 4 * pageSize} bytes: the smallest size Netty serves with a run of pages rather than from a subpage of
 * one size class, so that releasing it leaves the chunk as it was (a released small buffer would leave its
 * subpage reserved for that size class). When every block has been freed, Netty may release that chunk (a chunk
 * whose usage falls below 1% after it had passed 25% is destroyed) and serve the next request from a new chunk
 * of the same size: with no block live in the old one, the new chunk becomes the region (checked only when an
 * allocation lands outside the region, so it costs nothing on the measured path).
 * Netty's metadata (chunk run tables, subpage bitmaps, the buffer objects) lives on the Java heap, outside the
 * region.
 *
 * <p>Netty's pool is thread-safe by itself; {@link Sharing} changes nothing here.
 */
public final class NettySubject implements Subject {

    private static final int PAGE_SIZE = 8192;
    private static final int MAX_ORDER = 14;
    /** The smallest request Netty serves with a run of pages (4 pages of the default size): 32 KiB. */
    private static final int PROBE = PAGE_SIZE << 2;

    private final PooledByteBufAllocator netty;
    private byte[] chunk;
    private final ByteBuf[] buffers;

    /**
     * Makes a pool whose first chunk is the region, and allocates that chunk.
     *
     * @param region the region's size in bytes: a power of two from 32 KiB to 1 GiB
     * @param slots how many slots
     * @throws IllegalArgumentException if {@code region} is not a power of two from 32 KiB to 1 GiB
     * @throws IllegalStateException if Netty made its chunk of another size than {@code region}
     */
    public NettySubject(int region, int slots) {
        if (Integer.bitCount(region) != 1 || region < PROBE || region > 1 << 30) {
            throw new IllegalArgumentException("a Netty chunk here is a power of two from " + PROBE
                    + " bytes to 1 GiB; region " + region + " is not");
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int order = Integer.numberOfTrailingZeros(region) - Integer.numberOfTrailingZeros(PAGE_SIZE);
        int pageSize = order > MAX_ORDER ? PAGE_SIZE << (order - MAX_ORDER) : PAGE_SIZE;
        int maxOrder = Math.min(order, MAX_ORDER);
        this.netty = new PooledByteBufAllocator(false, 1, 0, pageSize, maxOrder, 0, 0, false, 0);
        ByteBuf probe = netty.heapBuffer(pageSize << 2, pageSize << 2);
        this.chunk = probe.array();
        probe.release();
        if (chunk.length != region) {
            throw new IllegalStateException("Netty made a chunk of " + chunk.length + " bytes for a region of "
                    + region);
        }
        this.buffers = new ByteBuf[slots];
    }

    @Override
    public boolean allocate(int slot, int size) {
        ByteBuf buffer = netty.heapBuffer(size, size);
        byte[] array = buffer.array();
        if (array != chunk) {
            if (array.length != chunk.length || !empty()) {
                buffer.release();
                return false;
            }
            chunk = array; // the old chunk held no block: Netty replaced it
        }
        buffers[slot] = buffer;
        return true;
    }

    private boolean empty() {
        for (ByteBuf buffer : buffers) {
            if (buffer != null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void free(int slot) {
        ByteBuf buffer = buffers[slot];
        if (buffer != null) {
            buffers[slot] = null;
            buffer.release();
        }
    }

    @Override
    public long regionBytes() {
        return chunk.length;
    }

    @Override
    public void close() {
        for (ByteBuf buffer : buffers) {
            if (buffer != null) {
                buffer.release();
            }
        }
        Arrays.fill(buffers, null);
    }

    @Override
    public String toString() {
        return "PooledByteBufAllocator[1 heap arena, chunk " + chunk.length + " bytes, no caches]";
    }
}
