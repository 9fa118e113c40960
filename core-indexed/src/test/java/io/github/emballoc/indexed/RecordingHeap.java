package io.github.emballoc.indexed;

import io.github.emballoc.api.RawHeap;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A heap that passes every access to another, counts its header reads and records every write an allocator makes
 * through it, in order:
 * what the differential tests compare between the two strategies after each operation (the same writes, in the
 * same order, to the same bytes), so that a 16 MiB heap need not be compared byte for byte after every step.
 *
 * <p>A log entry is three {@code long}s: the kind, the offset written, and the value (for {@code putInt},
 * {@code putByte}, {@code putLong}), the length (for {@code putBytes} and {@code fill}, with the fill byte in
 * the upper half) or the source offset and length (for {@code copy}).
 */
final class RecordingHeap implements RawHeap {
    static final int INT = 1;
    static final int BYTE = 2;
    static final int LONG = 3;
    static final int BYTES = 4;
    static final int FILL = 5;
    static final int COPY = 6;

    private final RawHeap target;
    private long[] log = new long[48];
    private int size;
    private long intReads;

    RecordingHeap(RawHeap target) {
        this.target = target;
    }

    /** The heap written through. */
    RawHeap target() {
        return target;
    }

    /** Forgets the writes recorded so far. */
    void clear() {
        size = 0;
    }

    /** The number of writes recorded since {@link #clear()}. */
    int writes() {
        return size / 3;
    }

    long kind(int write) {
        return log[3 * write];
    }

    /** The first byte the write changed. */
    int offset(int write) {
        return (int) log[3 * write + 1];
    }

    /** How many bytes the write may have changed. */
    int length(int write) {
        long kind = log[3 * write];
        long value = log[3 * write + 2];
        if (kind == INT) {
            return 4;
        }
        if (kind == BYTE) {
            return 1;
        }
        if (kind == LONG) {
            return 8;
        }
        return (int) value;
    }

    /** Whether both heaps recorded the same writes, in the same order. */
    boolean sameWrites(RecordingHeap other) {
        return Arrays.equals(log, 0, size, other.log, 0, other.size);
    }

    /** The recorded writes, one a line, for a failure message. */
    String describeWrites() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < writes(); i++) {
            long kind = log[3 * i];
            long value = log[3 * i + 2];
            out.append(kind == INT ? "putInt" : kind == BYTE ? "putByte" : kind == LONG ? "putLong"
                    : kind == BYTES ? "putBytes" : kind == FILL ? "fill" : "copy").append('(').append(log[3 * i + 1]);
            if (kind == INT) {
                out.append(", 0x").append(Integer.toHexString((int) value));
            } else if (kind == COPY) {
                out.append(" <- ").append(value >>> 32).append(", ").append((int) value);
            } else {
                out.append(", ").append(value);
            }
            out.append(")\n");
        }
        return out.toString();
    }

    private void record(int kind, int offset, long value) {
        if (size + 3 > log.length) {
            log = Arrays.copyOf(log, log.length * 2);
        }
        log[size++] = kind;
        log[size++] = offset;
        log[size++] = value;
    }

    @Override
    public int capacity() {
        return target.capacity();
    }

    @Override
    public ByteOrder order() {
        return target.order();
    }

    @Override
    public byte getByte(int offset) {
        return target.getByte(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        target.putByte(offset, value);
        record(BYTE, offset, value);
    }

    @Override
    public int getInt(int offset) {
        intReads++;
        return target.getInt(offset);
    }

    /** How many {@code getInt} calls were made through this heap since it was made (the header reads). */
    long intReads() {
        return intReads;
    }

    @Override
    public void putInt(int offset, int value) {
        target.putInt(offset, value);
        record(INT, offset, value);
    }

    @Override
    public long getLong(int offset) {
        return target.getLong(offset);
    }

    @Override
    public void putLong(int offset, long value) {
        target.putLong(offset, value);
        record(LONG, offset, value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        target.getBytes(offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        target.putBytes(offset, src, srcOffset, length);
        record(BYTES, offset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        target.fill(offset, length, value);
        record(FILL, offset, length);
    }

    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        target.copy(srcOffset, dstOffset, length);
        record(COPY, dstOffset, ((long) srcOffset << 32) | length);
    }

    @Override
    public boolean isReadOnly() {
        return target.isReadOnly();
    }

    @Override
    public String toString() {
        return "RecordingHeap[" + target + "]";
    }
}
