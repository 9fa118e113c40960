package io.github.emballoc.indexed;

import io.github.emballoc.api.RawHeap;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A heap of any capacity up to the format's 2,147,483,644 bytes whose memory is only the 64 KiB pages ever
 * written: what the tests use to run both allocators on the largest heaps without gigabytes of memory. Pages
 * never written read as zero. Bounds are checked as {@link RawHeap} requires.
 */
final class SparseHeap implements RawHeap {
    private static final int PAGE_SHIFT = 16;
    private static final int PAGE = 1 << PAGE_SHIFT;

    private final int capacity;
    private final ByteOrder order;
    private final Map<Integer, byte[]> pages = new HashMap<>();

    SparseHeap(int capacity, ByteOrder order) {
        this.capacity = capacity;
        this.order = Objects.requireNonNull(order);
    }

    /** A copy with its own pages. */
    SparseHeap copy() {
        SparseHeap copy = new SparseHeap(capacity, order);
        pages.forEach((index, page) -> copy.pages.put(index, page.clone()));
        return copy;
    }

    /** The first offset where the two heaps' bytes differ, or -1 when they are equal. */
    long mismatch(SparseHeap other) {
        long first = Long.MAX_VALUE;
        for (int index : union(other)) {
            byte[] a = pages.get(index);
            byte[] b = other.pages.get(index);
            int at = Arrays.mismatch(a == null ? new byte[PAGE] : a, b == null ? new byte[PAGE] : b);
            if (at >= 0) {
                first = Math.min(first, ((long) index << PAGE_SHIFT) + at);
            }
        }
        return first == Long.MAX_VALUE ? -1 : first;
    }

    private java.util.Set<Integer> union(SparseHeap other) {
        java.util.Set<Integer> all = new java.util.HashSet<>(pages.keySet());
        all.addAll(other.pages.keySet());
        return all;
    }

    /** Bytes of pages held. */
    long footprint() {
        return (long) pages.size() * PAGE;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteOrder order() {
        return order;
    }

    private void check(int offset, long length) {
        if (offset < 0 || length < 0 || offset + length > capacity) {
            throw new IndexOutOfBoundsException("[" + offset + ", " + (offset + length) + ") outside [0, " + capacity
                    + ")");
        }
    }

    private byte read(int offset) {
        byte[] page = pages.get(offset >>> PAGE_SHIFT);
        return page == null ? 0 : page[offset & (PAGE - 1)];
    }

    private void write(int offset, byte value) {
        byte[] page = pages.get(offset >>> PAGE_SHIFT);
        if (page == null) {
            if (value == 0) {
                return;
            }
            page = new byte[PAGE];
            pages.put(offset >>> PAGE_SHIFT, page);
        }
        page[offset & (PAGE - 1)] = value;
    }

    @Override
    public byte getByte(int offset) {
        check(offset, 1);
        return read(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        check(offset, 1);
        write(offset, value);
    }

    @Override
    public int getInt(int offset) {
        return (int) getNumber(offset, 4);
    }

    @Override
    public void putInt(int offset, int value) {
        putNumber(offset, 4, value);
    }

    @Override
    public long getLong(int offset) {
        return getNumber(offset, 8);
    }

    @Override
    public void putLong(int offset, long value) {
        putNumber(offset, 8, value);
    }

    private long getNumber(int offset, int n) {
        check(offset, n);
        long value = 0;
        for (int i = 0; i < n; i++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (n - 1 - i);
            value |= (read(offset + i) & 0xFFL) << shift;
        }
        return value;
    }

    private void putNumber(int offset, int n, long value) {
        check(offset, n);
        for (int i = 0; i < n; i++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (n - 1 - i);
            write(offset + i, (byte) (value >>> shift));
        }
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        check(offset, length);
        int done = 0;
        while (done < length) {
            int at = offset + done;
            int chunk = Math.min(length - done, PAGE - (at & (PAGE - 1)));
            byte[] page = pages.get(at >>> PAGE_SHIFT);
            if (page == null) {
                Arrays.fill(dst, dstOffset + done, dstOffset + done + chunk, (byte) 0);
            } else {
                System.arraycopy(page, at & (PAGE - 1), dst, dstOffset + done, chunk);
            }
            done += chunk;
        }
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        check(offset, length);
        int done = 0;
        while (done < length) {
            int at = offset + done;
            int chunk = Math.min(length - done, PAGE - (at & (PAGE - 1)));
            byte[] page = pages.get(at >>> PAGE_SHIFT);
            if (page == null) {
                page = new byte[PAGE];
                pages.put(at >>> PAGE_SHIFT, page);
            }
            System.arraycopy(src, srcOffset + done, page, at & (PAGE - 1), chunk);
            done += chunk;
        }
    }

    @Override
    public void fill(int offset, int length, byte value) {
        check(offset, length);
        for (int i = 0; i < length; i++) {
            write(offset + i, value);
        }
    }

    /** Copies page by page, skipping pages that are zero on both sides, so that gigabyte copies stay cheap. */
    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        check(srcOffset, length);
        check(dstOffset, length);
        if (length == 0 || srcOffset == dstOffset) {
            return;
        }
        byte[] buffer = new byte[PAGE];
        boolean forward = dstOffset < srcOffset;
        int done = 0;
        while (done < length) {
            int chunk = Math.min(PAGE, length - done);
            int from = forward ? srcOffset + done : srcOffset + length - done - chunk;
            int to = forward ? dstOffset + done : dstOffset + length - done - chunk;
            if (allZero(from, chunk)) {
                zero(to, chunk); // no page is made for zeros
                done += chunk;
                continue;
            }
            getBytes(from, buffer, 0, chunk);
            putBytes(to, buffer, 0, chunk);
            done += chunk;
        }
    }

    private void zero(int offset, int length) {
        int done = 0;
        while (done < length) {
            int at = offset + done;
            int chunk = Math.min(length - done, PAGE - (at & (PAGE - 1)));
            byte[] page = pages.get(at >>> PAGE_SHIFT);
            if (page != null) {
                Arrays.fill(page, at & (PAGE - 1), (at & (PAGE - 1)) + chunk, (byte) 0);
            }
            done += chunk;
        }
    }

    private boolean allZero(int offset, int length) {
        int firstPage = offset >>> PAGE_SHIFT;
        int lastPage = (int) (((long) offset + length - 1) >>> PAGE_SHIFT);
        for (int p = firstPage; p <= lastPage; p++) {
            if (pages.containsKey(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SparseHeap[" + capacity + " bytes, " + order + ", " + pages.size() + " pages]";
    }
}
