package io.github.emballoc.benchmarks.subject;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.locks.Lock;
import org.ehcache.shadow.org.terracotta.offheapstore.buffersource.OffHeapBufferSource;
import org.ehcache.shadow.org.terracotta.offheapstore.paging.OffHeapStorageArea;
import org.ehcache.shadow.org.terracotta.offheapstore.paging.Page;
import org.ehcache.shadow.org.terracotta.offheapstore.paging.PageSource;
import org.ehcache.shadow.org.terracotta.offheapstore.storage.PointerSize;
import org.ehcache.shadow.org.terracotta.offheapstore.storage.allocator.IntegerBestFitAllocator;

/**
 * Terracotta offheap-store's {@link IntegerBestFitAllocator} (a Java port of dlmalloc: 4-byte size fields,
 * 8-byte alignment, 16-byte minimum chunks, small bins and tree bins) over an {@link OffHeapStorageArea}, as
 * Ehcache 3.11.1 ships it shaded. Slots hold addresses, -1 when empty.
 *
 * <p>Configuration, from offheap-store's sources: the area is built with {@link PointerSize#INT} (which makes
 * it use {@code IntegerBestFitAllocator}), initial and maximal page size both the region (so the area is one
 * page), not a thief nor a victim, no compression. Its page comes from a page source that hands out exactly one
 * direct buffer of the region's size (from offheap-store's own {@link OffHeapBufferSource}) and refuses any
 * further page, so the area cannot grow past the region: when the allocator finds no chunk, the area asks for a
 * second page, gets none, and the allocation fails. The allocator has no locking of its own; a
 * {@link Sharing#SHARED} subject wraps it in {@code synchronized} ({@link Subjects}).
 */
public final class OffHeapStoreSubject implements Subject {

    private final OffHeapStorageArea area;
    private final int region;
    private final long[] addresses;

    /**
     * Makes an area of one page of {@code region} bytes.
     *
     * @param region the region's size in bytes, a power of two
     * @param slots how many slots
     * @throws IllegalArgumentException if {@code region} is not a power of two (the area would round it)
     */
    public OffHeapStoreSubject(int region, int slots) {
        if (Integer.bitCount(region) != 1) {
            throw new IllegalArgumentException("offheap-store pages are powers of two; region " + region + " is not");
        }
        this.region = region;
        this.area = new OffHeapStorageArea(PointerSize.INT, new NoOwner(), new OnePage(region), region, region,
                false, false);
        this.addresses = new long[slots];
        Arrays.fill(addresses, -1L);
    }

    @Override
    public boolean allocate(int slot, int size) {
        long address = area.allocate(size);
        addresses[slot] = address;
        return address >= 0;
    }

    @Override
    public void free(int slot) {
        long address = addresses[slot];
        if (address >= 0) {
            addresses[slot] = -1L;
            area.free(address);
        }
    }

    @Override
    public long regionBytes() {
        return region;
    }

    @Override
    public void close() {
        Arrays.fill(addresses, -1L);
        area.destroy();
    }

    @Override
    public String toString() {
        return "OffHeapStorageArea[IntegerBestFitAllocator, one page of " + region + " bytes]";
    }

    /** Hands out one page of the region's size, and nothing more until it is given back. */
    private static final class OnePage implements PageSource {
        private final int size;
        private final OffHeapBufferSource buffers = new OffHeapBufferSource();
        private boolean taken;

        OnePage(int size) {
            this.size = size;
        }

        @Override
        public Page allocate(int pageSize, boolean thief, boolean victim, OffHeapStorageArea owner) {
            if (taken || pageSize != size) {
                return null;
            }
            taken = true;
            return new Page(buffers.allocateBuffer(size), owner);
        }

        @Override
        public void free(Page page) {
            taken = false;
        }
    }

    /**
     * The area's owner, which a map built on the area would be. An area that is neither thief nor victim and
     * never compresses never calls it; a call would mean the configuration is not what this class says.
     */
    private static final class NoOwner implements OffHeapStorageArea.Owner {
        @Override
        public Collection<Long> evictAtAddress(long address, boolean shrink) {
            throw new UnsupportedOperationException("evictAtAddress: the benchmark's area evicts nothing");
        }

        @Override
        public Lock writeLock() {
            throw new UnsupportedOperationException("writeLock: the benchmark's area is never shrunk");
        }

        @Override
        public boolean isThief() {
            return false;
        }

        @Override
        public boolean moved(long from, long to) {
            throw new UnsupportedOperationException("moved: the benchmark's area never compresses");
        }

        @Override
        public int sizeOf(long address) {
            throw new UnsupportedOperationException("sizeOf: the benchmark's area never compresses");
        }
    }
}
