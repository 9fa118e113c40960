package io.github.emballoc.api.image;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.internal.ArrayRawHeap;
import io.github.emballoc.api.internal.BufferRawHeap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads and writes header words of one heap for an allocator, through one call site that stays monomorphic
 * however many {@link RawHeap} classes a program uses.
 *
 * <p>An allocator that calls {@code heap.getInt(offset)} directly has one call site for every heap class in
 * the JVM: with three heap classes loaded it turns megamorphic and every header read becomes a virtual call
 * that the JIT cannot inline. A {@code HeaderAccess} is one final class chosen when the allocator is built:
 * for the standard {@code byte[]} heap it reads the array through a constant {@link VarHandle}, for the
 * standard {@link ByteBuffer} heaps it reads the buffer, and for any other heap it calls {@link RawHeap}.
 * Which of these applies is a final field, a branch the processor predicts perfectly for one allocator.
 *
 * <p>It skips {@link io.github.emballoc.api.HeapBounds}: the caller promises that every offset it passes is a
 * header position it has proved (a multiple of 4 from 0 to {@code capacity - 4}, reached by a checked walk or
 * kept by an index of such positions). Memory safety does not rest on that promise: the array and the buffer
 * still check their own bounds, so a wrong offset throws {@link IndexOutOfBoundsException}, never touches
 * memory outside the heap.
 *
 * <p>Threads: as the heap's; an allocator uses it inside its critical section.
 */
public final class HeaderAccess {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final int ARRAY_LE = 0;
    private static final int ARRAY_BE = 1;
    private static final int BUFFER = 2;
    private static final int ANY = 3;

    private final RawHeap heap;
    private final int kind;
    private final byte[] array;
    private final ByteBuffer buffer;

    private HeaderAccess(RawHeap heap, int kind, byte[] array, ByteBuffer buffer) {
        this.heap = heap;
        this.kind = kind;
        this.array = array;
        this.buffer = buffer;
    }

    /**
     * Chooses the access for {@code heap}.
     *
     * @param heap the heap
     * @return an access that reads and writes {@code heap}'s words in its order
     * @throws NullPointerException if {@code heap} is {@code null}
     */
    public static HeaderAccess of(RawHeap heap) {
        Objects.requireNonNull(heap, "heap");
        if (heap instanceof ArrayRawHeap) {
            byte[] bytes = ((ArrayRawHeap) heap).array();
            return new HeaderAccess(heap, heap.order() == ByteOrder.BIG_ENDIAN ? ARRAY_BE : ARRAY_LE, bytes, null);
        }
        if (heap instanceof BufferRawHeap && !heap.isReadOnly()) {
            return new HeaderAccess(heap, BUFFER, null, ((BufferRawHeap) heap).buffer());
        }
        return new HeaderAccess(heap, ANY, null, null);
    }

    /**
     * Returns the heap this access reads and writes.
     *
     * @return the heap
     */
    public RawHeap heap() {
        return heap;
    }

    /**
     * Reads the header word at {@code offset}.
     *
     * @param offset a header position: a multiple of 4 from 0 to {@code capacity - 4}
     * @return the word, in the heap's order
     * @throws IndexOutOfBoundsException if {@code offset} is outside the heap (a broken promise of the caller)
     */
    public int getWord(int offset) {
        switch (kind) {
            case ARRAY_LE:
                return (int) INT_LE.get(array, offset);
            case ARRAY_BE:
                return (int) INT_BE.get(array, offset);
            case BUFFER:
                return buffer.getInt(offset);
            default:
                return heap.getInt(offset);
        }
    }

    /**
     * Writes the header word at {@code offset} as one 4-byte store.
     *
     * @param offset a header position: a multiple of 4 from 0 to {@code capacity - 4}
     * @param word the word, in the heap's order
     * @throws IndexOutOfBoundsException if {@code offset} is outside the heap (a broken promise of the caller)
     */
    public void putWord(int offset, int word) {
        switch (kind) {
            case ARRAY_LE:
                INT_LE.set(array, offset, word);
                break;
            case ARRAY_BE:
                INT_BE.set(array, offset, word);
                break;
            case BUFFER:
                buffer.putInt(offset, word);
                break;
            default:
                heap.putInt(offset, word);
                break;
        }
    }

    @Override
    public String toString() {
        return "HeaderAccess[" + (kind == ANY ? "through RawHeap" : kind == BUFFER ? "buffer" : "array") + ", "
                + heap + "]";
    }
}
