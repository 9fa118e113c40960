package io.github.emballoc.testkit;

import io.github.emballoc.api.RawHeap;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RawHeap} that forwards every call to another heap and, while recording, keeps every write it
 * forwards: which method, where, and the bytes the written range holds afterwards. It is how
 * {@link CrashConsistencyContract} sees the writes of one operation, so that it can apply every prefix of them
 * to a copy of the image from before the operation, as a crash between two writes would leave it.
 *
 * <p>Each call is one write: a {@code putInt} of a header, a {@code putBytes}, a {@code fill}, a
 * {@code copy}. An allocator of this project writes a header as one aligned 4-byte store
 * ({@link io.github.emballoc.api.image.HeaderAccess}, which reaches a heap of any class other than the standard
 * ones through {@link RawHeap#putInt(int, int)}, so this heap sees every header write). A write that throws
 * changes nothing ({@link RawHeap}'s promise) and is not recorded.
 *
 * <p>This heap gives no {@link java.nio.ByteBuffer} views ({@link #asByteBuffer(int, int)} throws
 * {@link UnsupportedOperationException}): a write through a view could not be recorded.
 *
 * <p>Threads: not thread-safe; record the operations of one thread.
 */
public final class WriteRecordingHeap implements RawHeap {

    /**
     * One recorded write: the method, the offset of its first byte, and the bytes the written range held right
     * after it.
     *
     * <p>Immutable; may be read from any thread.
     */
    public static final class Write {
        private final String method;
        private final int offset;
        private final byte[] bytes;

        Write(String method, int offset, byte[] bytes) {
            this.method = method;
            this.offset = offset;
            this.bytes = bytes;
        }

        /**
         * Returns the name of the {@link RawHeap} method that made the write.
         *
         * @return for example {@code putInt}, {@code putBytes}, {@code fill} or {@code copy}
         */
        public String method() {
            return method;
        }

        /**
         * Returns the heap offset of the first byte written.
         *
         * @return the offset
         */
        public int offset() {
            return offset;
        }

        /**
         * Returns how many bytes were written.
         *
         * @return the length
         */
        public int length() {
            return bytes.length;
        }

        /**
         * Returns the bytes the written range held right after the write.
         *
         * @return a new copy of the bytes
         */
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * Writes the same bytes at the same offset of {@code heap} (one {@code putBytes}).
         *
         * @param heap a heap at least as large as the one the write was recorded on
         * @throws IndexOutOfBoundsException if the range is outside {@code heap}
         */
        public void applyTo(RawHeap heap) {
            heap.putBytes(offset, bytes, 0, bytes.length);
        }

        /**
         * Writes the same bytes at the same offset of {@code image}.
         *
         * @param image a heap image as an array
         * @throws IndexOutOfBoundsException if the range is outside {@code image}
         */
        public void applyTo(byte[] image) {
            System.arraycopy(bytes, 0, image, offset, bytes.length);
        }

        /**
         * Describes the write: the method, the offset, and the bytes in hexadecimal (the first 16 of a longer
         * write, and its length).
         *
         * @return for example {@code putInt at 12: 3c 00 00 00}
         */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(method).append(" at ").append(offset).append(':');
            int shown = Math.min(bytes.length, 16);
            for (int i = 0; i < shown; i++) {
                out.append(' ').append(String.format("%02x", bytes[i] & 0xFF));
            }
            if (shown < bytes.length) {
                out.append(" ... (").append(bytes.length).append(" bytes)");
            }
            return out.toString();
        }
    }

    private final RawHeap delegate;
    private final List<Write> writes = new ArrayList<>();
    private boolean recording;

    /**
     * Wraps {@code delegate}; nothing is recorded until {@link #startRecording()}.
     *
     * @param delegate the heap every call is forwarded to
     * @throws NullPointerException if {@code delegate} is {@code null}
     */
    public WriteRecordingHeap(RawHeap delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Returns the heap every call is forwarded to.
     *
     * @return the wrapped heap
     */
    public RawHeap delegate() {
        return delegate;
    }

    /** Forgets what was recorded before and records every write from now on. */
    public void startRecording() {
        writes.clear();
        recording = true;
    }

    /**
     * Stops recording and returns the writes made since {@link #startRecording()}, in order.
     *
     * @return the writes, an unmodifiable list
     */
    public List<Write> stopRecording() {
        recording = false;
        List<Write> recorded = List.copyOf(writes);
        writes.clear();
        return recorded;
    }

    /**
     * Tells whether writes are being recorded.
     *
     * @return whether {@link #startRecording()} was called more recently than {@link #stopRecording()}
     */
    public boolean isRecording() {
        return recording;
    }

    private void record(String method, int offset, int length) {
        if (recording && length > 0) {
            byte[] bytes = new byte[length];
            delegate.getBytes(offset, bytes, 0, length);
            writes.add(new Write(method, offset, bytes));
        }
    }

    @Override
    public int capacity() {
        return delegate.capacity();
    }

    @Override
    public ByteOrder order() {
        return delegate.order();
    }

    @Override
    public byte getByte(int offset) {
        return delegate.getByte(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        delegate.putByte(offset, value);
        record("putByte", offset, Byte.BYTES);
    }

    @Override
    public int getInt(int offset) {
        return delegate.getInt(offset);
    }

    @Override
    public void putInt(int offset, int value) {
        delegate.putInt(offset, value);
        record("putInt", offset, Integer.BYTES);
    }

    @Override
    public long getLong(int offset) {
        return delegate.getLong(offset);
    }

    @Override
    public void putLong(int offset, long value) {
        delegate.putLong(offset, value);
        record("putLong", offset, Long.BYTES);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        delegate.getBytes(offset, dst, dstOffset, length);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        delegate.putBytes(offset, src, srcOffset, length);
        record("putBytes", offset, length);
    }

    @Override
    public void fill(int offset, int length, byte value) {
        delegate.fill(offset, length, value);
        record("fill", offset, length);
    }

    @Override
    public void copy(int srcOffset, int dstOffset, int length) {
        delegate.copy(srcOffset, dstOffset, length);
        record("copy", dstOffset, length);
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public void force() {
        delegate.force();
    }

    /**
     * Describes this heap and the heap it wraps.
     *
     * @return for example {@code WriteRecordingHeap[ArrayRawHeap[...]]}
     */
    @Override
    public String toString() {
        return "WriteRecordingHeap[" + delegate + "]";
    }

    /**
     * Applies {@code writes} in order to a copy of {@code image}.
     *
     * @param image the image before the writes
     * @param writes the writes
     * @return a new array: the image after them
     */
    static byte[] applied(byte[] image, List<Write> writes) {
        byte[] copy = Arrays.copyOf(image, image.length);
        for (Write write : writes) {
            write.applyTo(copy);
        }
        return copy;
    }
}
