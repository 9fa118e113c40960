package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The contracts have teeth: each runs (through the JUnit Platform Launcher) against deliberately broken
 * implementations, and the rules that the breakage violates must fail; the correct counterparts must pass.
 * The adapters are static nested classes, which neither Surefire nor Jupiter runs on their own.
 */
class ContractTeethTest {

    // ---------------------------------------------------------------- heaps

    /** Claims big-endian but writes little-endian (a heap that ignores its byte order). */
    static final class OrderBlindHeap extends ForwardingHeap {
        OrderBlindHeap(int capacity) {
            super(RawHeaps.allocate(capacity, ByteOrder.LITTLE_ENDIAN));
        }

        @Override
        public ByteOrder order() {
            return ByteOrder.BIG_ENDIAN;
        }
    }

    /** A window of a larger array with no bounds checks of its own (the array's are too wide). */
    static final class UncheckedWindowHeap implements RawHeap {
        private final byte[] bytes;
        private final int base = 8;
        private final int capacity;

        UncheckedWindowHeap(int capacity) {
            this.capacity = capacity;
            this.bytes = new byte[capacity + 16];
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public ByteOrder order() {
            return ByteOrder.LITTLE_ENDIAN;
        }

        @Override
        public byte getByte(int offset) {
            return bytes[base + offset];
        }

        @Override
        public void putByte(int offset, byte value) {
            bytes[base + offset] = value;
        }

        @Override
        public int getInt(int offset) {
            int value = 0;
            for (int i = 3; i >= 0; i--) {
                value = value << 8 | (getByte(offset + i) & 0xFF);
            }
            return value;
        }

        @Override
        public void putInt(int offset, int value) {
            for (int i = 0; i < 4; i++) {
                putByte(offset + i, (byte) (value >>> 8 * i));
            }
        }

        @Override
        public long getLong(int offset) {
            return (getInt(offset) & 0xFFFFFFFFL) | (long) getInt(offset + 4) << 32;
        }

        @Override
        public void putLong(int offset, long value) {
            putInt(offset, (int) value);
            putInt(offset + 4, (int) (value >>> 32));
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            System.arraycopy(bytes, base + offset, dst, dstOffset, length);
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            System.arraycopy(src, srcOffset, bytes, base + offset, length);
        }

        @Override
        public void fill(int offset, int length, byte value) {
            java.util.Arrays.fill(bytes, base + offset, base + offset + length, value);
        }
    }

    /** Checks each byte as it writes it, so an int or long across the end is half written before it throws. */
    static final class PartialWriteHeap extends ForwardingHeap {
        PartialWriteHeap(int capacity) {
            super(RawHeaps.allocate(capacity));
        }

        @Override
        public void putInt(int offset, int value) {
            for (int i = 0; i < 4; i++) {
                putByte(offset + i, (byte) (value >>> 8 * i));
            }
        }
    }

    /** Keeps the last access in a new object, for its error messages: an allocation per access. */
    static final class RecordingHeap extends ForwardingHeap {
        Object lastAccess;

        RecordingHeap(int capacity) {
            super(RawHeaps.allocate(capacity));
        }

        @Override
        public int getInt(int offset) {
            lastAccess = new int[] {offset, 4};
            return super.getInt(offset);
        }
    }

    /**
     * A user's heap that keeps bytes eight to a {@code long}, little-endian. Every access checks its bounds
     * against the capacity except the single-byte ones, which rely on the array's own check: right when the
     * capacity is a multiple of 8, but at any other capacity {@code getByte(capacity)} reads, and
     * {@code putByte(capacity, b)} writes, the unused end of the last word instead of throwing.
     */
    static final class LongArrayHeap implements RawHeap {
        private final long[] words;
        private final int capacity;

        LongArrayHeap(int capacity) {
            this.capacity = capacity;
            this.words = new long[(capacity + 7) / 8];
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public ByteOrder order() {
            return ByteOrder.LITTLE_ENDIAN;
        }

        private int byteAt(int offset) {
            return (int) (words[offset >> 3] >>> ((offset & 7) << 3)) & 0xFF;
        }

        private void setByte(int offset, int value) {
            int shift = (offset & 7) << 3;
            int index = offset >> 3;
            words[index] = (words[index] & ~(0xFFL << shift)) | ((long) (value & 0xFF) << shift);
        }

        private long read(int offset, int length) {
            long value = 0;
            for (int i = length - 1; i >= 0; i--) {
                value = (value << 8) | byteAt(offset + i);
            }
            return value;
        }

        private void write(int offset, int length, long value) {
            for (int i = 0; i < length; i++) {
                setByte(offset + i, (int) (value >>> (8 * i)));
            }
        }

        @Override
        public byte getByte(int offset) {
            return (byte) byteAt(offset);                          // the bug: no check against capacity
        }

        @Override
        public void putByte(int offset, byte value) {
            setByte(offset, value);                                // the bug: no check against capacity
        }

        @Override
        public int getInt(int offset) {
            HeapBounds.check(offset, 4, capacity);
            return (int) read(offset, 4);
        }

        @Override
        public void putInt(int offset, int value) {
            HeapBounds.check(offset, 4, capacity);
            write(offset, 4, value);
        }

        @Override
        public long getLong(int offset) {
            HeapBounds.check(offset, 8, capacity);
            return read(offset, 8);
        }

        @Override
        public void putLong(int offset, long value) {
            HeapBounds.check(offset, 8, capacity);
            write(offset, 8, value);
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            HeapBounds.check(offset, length, capacity);
            HeapBounds.checkArray(dstOffset, length, dst.length);
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (byte) byteAt(offset + i);
            }
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            HeapBounds.check(offset, length, capacity);
            HeapBounds.checkArray(srcOffset, length, src.length);
            for (int i = 0; i < length; i++) {
                setByte(offset + i, src[srcOffset + i]);
            }
        }

        @Override
        public void fill(int offset, int length, byte value) {
            HeapBounds.check(offset, length, capacity);
            for (int i = 0; i < length; i++) {
                setByte(offset + i, value);
            }
        }
    }

    static class LongArrayHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new LongArrayHeap(capacity);
        }
    }

    static class OrderBlindHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new OrderBlindHeap(capacity);
        }
    }

    static class UncheckedWindowHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new UncheckedWindowHeap(capacity);
        }
    }

    static class PartialWriteHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new PartialWriteHeap(capacity);
        }
    }

    static class RecordingHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new RecordingHeap(capacity);
        }
    }

    static class CorrectForwardingHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ForwardingHeap(RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN));
        }
    }

    @Test
    void heapThatIgnoresByteOrderIsCaught() {
        ContractRunner.run(OrderBlindHeapTest.class).assertCaughtBy("h4_intsFollowTheByteOrder",
                "h5_longsFollowTheByteOrder");
    }

    @Test
    void heapWithoutBoundsChecksIsCaught() {
        ContractRunner.run(UncheckedWindowHeapTest.class).assertCaughtBy("h8_singleValueBounds", "h9_bulkBounds");
    }

    @Test
    void heapThatWritesHalfAnIntBeforeThrowingIsCaught() {
        ContractRunner.run(PartialWriteHeapTest.class).assertCaughtBy("h8_singleValueBounds");
    }

    @Test
    void heapThatChecksSingleBytesOnlyAgainstItsWordsIsCaught() {
        ContractRunner.run(LongArrayHeapTest.class).assertCaughtBy("h8_singleValueBounds");
    }

    @Test
    void heapThatAllocatesPerAccessIsCaught() {
        ContractRunner.run(RecordingHeapTest.class).assertCaughtBy("h11_singleValueAccessesAllocateNothing");
    }

    @Test
    void correctHeapPassesEveryRule() {
        ContractRunner.run(CorrectForwardingHeapTest.class).assertAllPassed(11);
    }

    // ---------------------------------------------------------------- heaps: copy, views, read-only

    /**
     * A correct heap with everything a standard heap offers: a {@code ByteBuffer} heap whose copy, views and
     * read-only flag are its own (subclasses break one of them).
     */
    static class ViewHeap extends ForwardingHeap {
        final RawHeap inner;

        ViewHeap(RawHeap inner) {
            super(inner);
            this.inner = inner;
        }

        ViewHeap(int capacity) {
            this(RawHeaps.wrap(ByteBuffer.allocate(capacity), ByteOrder.LITTLE_ENDIAN));
        }

        @Override
        public void copy(int srcOffset, int dstOffset, int length) {
            inner.copy(srcOffset, dstOffset, length);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            return inner.asByteBuffer(offset, length);
        }

        @Override
        public boolean isReadOnly() {
            return inner.isReadOnly();
        }
    }

    /** Copies front to back whatever the overlap (memcpy where memmove is promised). */
    static final class ForwardCopyHeap extends ViewHeap {
        ForwardCopyHeap(int capacity) {
            super(capacity);
        }

        @Override
        public void copy(int srcOffset, int dstOffset, int length) {
            HeapBounds.check(srcOffset, length, capacity());
            HeapBounds.check(dstOffset, length, capacity());
            for (int i = 0; i < length; i++) {
                putByte(dstOffset + i, getByte(srcOffset + i));
            }
        }
    }

    /** Copies what fits instead of refusing a range that leaves the heap. */
    static final class ClippingCopyHeap extends ViewHeap {
        ClippingCopyHeap(int capacity) {
            super(capacity);
        }

        @Override
        public void copy(int srcOffset, int dstOffset, int length) {
            int fits = Math.min(length, capacity() - Math.max(srcOffset, dstOffset));
            if (srcOffset >= 0 && dstOffset >= 0 && fits > 0) {
                super.copy(srcOffset, dstOffset, fits);
            }
        }
    }

    /** Views a window of a larger array without checking the heap's own bounds (the array's are too wide). */
    static final class UncheckedViewHeap extends ViewHeap {
        private final byte[] backing;

        UncheckedViewHeap(byte[] backing, int capacity) {
            super(RawHeaps.wrap(ByteBuffer.wrap(backing, 8, capacity), ByteOrder.LITTLE_ENDIAN));
            this.backing = backing;
        }

        UncheckedViewHeap(int capacity) {
            this(new byte[capacity + 16], capacity);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            return ByteBuffer.wrap(backing, 8 + offset, Math.max(length, 0)).slice().order(order());
        }
    }

    /** Gives a view from the offset to the end of the heap: a write past the block reaches the next header. */
    static final class RestOfHeapViewHeap extends ViewHeap {
        RestOfHeapViewHeap(int capacity) {
            super(capacity);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            HeapBounds.check(offset, length, capacity());
            return inner.asByteBuffer(offset, capacity() - offset);
        }
    }

    /** Forgets that {@code slice()} resets the order: the views of this little-endian heap are big-endian. */
    static final class BigEndianViewHeap extends ViewHeap {
        BigEndianViewHeap(int capacity) {
            super(capacity);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            return inner.asByteBuffer(offset, length).slice();
        }
    }

    /** Gives a copy of the bytes instead of a view of them. */
    static final class CopiedViewHeap extends ViewHeap {
        CopiedViewHeap(int capacity) {
            super(capacity);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            byte[] copy = new byte[length];
            getBytes(offset, copy, 0, length);
            return ByteBuffer.wrap(copy).order(order());
        }
    }

    /** A read-only heap whose {@code fill} forgot to refuse. */
    static final class LeakyFillReadOnlyHeap extends ViewHeap {
        private final RawHeap writable;

        LeakyFillReadOnlyHeap(byte[] content) {
            super(RawHeaps.wrap(ByteBuffer.wrap(content).asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN));
            this.writable = RawHeaps.wrap(content);
        }

        @Override
        public void fill(int offset, int length, byte value) {
            writable.fill(offset, length, value);
        }
    }

    /** A read-only heap whose views can be written. */
    static final class WritableViewReadOnlyHeap extends ViewHeap {
        private final RawHeap writable;

        WritableViewReadOnlyHeap(byte[] content) {
            super(RawHeaps.wrap(ByteBuffer.wrap(content).asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN));
            this.writable = RawHeaps.wrap(content);
        }

        @Override
        public ByteBuffer asByteBuffer(int offset, int length) {
            return writable.asByteBuffer(offset, length);
        }
    }

    /** The adapters of this section: views declared, and a read-only form where the test gives one. */
    abstract static class ViewHeapTest implements RawHeapContract {
        @Override
        public Set<RawHeapFeature> features() {
            return EnumSet.of(RawHeapFeature.BYTE_BUFFER_VIEWS);
        }
    }

    static class ForwardCopyHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ForwardCopyHeap(capacity);
        }
    }

    static class ClippingCopyHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ClippingCopyHeap(capacity);
        }
    }

    static class UncheckedViewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new UncheckedViewHeap(capacity);
        }
    }

    static class RestOfHeapViewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new RestOfHeapViewHeap(capacity);
        }
    }

    static class BigEndianViewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new BigEndianViewHeap(capacity);
        }
    }

    static class CopiedViewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new CopiedViewHeap(capacity);
        }
    }

    /** A heap that gives no views (the interface's default) but declares that it does. */
    static class ViewsDeclaredButRefusedTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ForwardingHeap(RawHeaps.allocate(capacity));
        }
    }

    static class LeakyFillReadOnlyHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ViewHeap(capacity);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            return new LeakyFillReadOnlyHeap(content);
        }
    }

    static class WritableViewReadOnlyHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ViewHeap(capacity);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            return new WritableViewReadOnlyHeap(content);
        }
    }

    /** A heap whose newHeap makes read-only heaps: the writing rules cannot pass, and H15 names it. */
    static class ReadOnlyFromNewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ViewHeap(RawHeaps.wrap(ByteBuffer.allocate(capacity).asReadOnlyBuffer()));
        }
    }

    static class CorrectViewHeapTest extends ViewHeapTest {
        @Override
        public RawHeap newHeap(int capacity) {
            return new ViewHeap(capacity);
        }

        @Override
        public RawHeap newReadOnlyHeap(byte[] content) {
            return new ViewHeap(RawHeaps.wrap(ByteBuffer.wrap(content).asReadOnlyBuffer(), ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Test
    void copyThatIsNotAMemmoveIsCaught() {
        ContractRunner.run(ForwardCopyHeapTest.class).assertCaughtBy("h12_copyIsAMemmove");
    }

    @Test
    void copyThatClipsInsteadOfRefusingIsCaught() {
        ContractRunner.run(ClippingCopyHeapTest.class).assertCaughtBy("h12_copyIsAMemmove");
    }

    @Test
    void viewsWithoutBoundsChecksAreCaught() {
        ContractRunner.run(UncheckedViewHeapTest.class).assertCaughtBy("h13_viewBounds");
    }

    @Test
    void viewsThatRunPastTheirRangeAreCaught() {
        ContractRunner.run(RestOfHeapViewHeapTest.class).assertCaughtBy("h14_views");
    }

    @Test
    void viewsInTheWrongOrderAreCaught() {
        ContractRunner.run(BigEndianViewHeapTest.class).assertCaughtBy("h14_views");
    }

    @Test
    void viewsThatCopyInsteadOfSharingAreCaught() {
        ContractRunner.run(CopiedViewHeapTest.class).assertCaughtBy("h14_views");
    }

    @Test
    void declaredViewsThatAreRefusedAreCaught() {
        ContractRunner.run(ViewsDeclaredButRefusedTest.class).assertCaughtBy("h14_views");
    }

    @Test
    void undeclaredViewsAreSkippedNamingTheFeature() {
        ContractRunner.run(CorrectForwardingHeapTest.class)
                .assertSkipped("h14_views", "BYTE_BUFFER_VIEWS")
                .assertSkipped("h15_readOnlyHeapsRefuseEveryWrite", "newReadOnlyHeap returns null");
    }

    @Test
    void readOnlyHeapThatWritesAnywayIsCaught() {
        ContractRunner.run(LeakyFillReadOnlyHeapTest.class).assertCaughtBy("h15_readOnlyHeapsRefuseEveryWrite");
    }

    @Test
    void readOnlyHeapWithWritableViewsIsCaught() {
        ContractRunner.run(WritableViewReadOnlyHeapTest.class).assertCaughtBy("h15_readOnlyHeapsRefuseEveryWrite");
    }

    @Test
    void readOnlyHeapPassedAsWritableIsCaught() {
        ContractRunner.run(ReadOnlyFromNewHeapTest.class).assertCaughtBy("h3_byteRoundTrip",
                "h15_readOnlyHeapsRefuseEveryWrite");
    }

    @Test
    void correctHeapWithViewsAndAReadOnlyFormPassesEveryRule() {
        ContractRunner.run(CorrectViewHeapTest.class).assertAllPassed(15);
    }

    // ---------------------------------------------------------------- allocators

    abstract static class BrokenAllocatorTest implements AllocatorContract {
        abstract ReferenceAllocator.Bug bug();

        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true, bug());
        }

        @Override
        public Set<AllocatorFeature> features() {
            return ReferenceAllocatorContractTest.FEATURES;
        }

        @Override
        public int randomSequences() {
            return 2;
        }

        @Override
        public int randomSequenceLength() {
            return 600;
        }
    }

    static class OverlappingAllocatorTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.MERGES_USED_NEIGHBOUR;
        }
    }

    static class DoubleFreeBlindAllocatorTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.NO_DOUBLE_FREE_CHECK;
        }
    }

    static class SplitLosesPayloadAllocatorTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.SPLIT_OVER_PAYLOAD;
        }
    }

    static class LittleEndianHeadersAllocatorTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.HEADERS_ALWAYS_LITTLE_ENDIAN;
        }

        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity, ByteOrder.BIG_ENDIAN);
        }
    }

    static class NoFeaturesAllocatorTest implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false);
        }
    }

    @Test
    void allocatorThatHandsOutOverlappingBlocksIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(OverlappingAllocatorTest.class)
                .assertCaughtBy("a4_payloadsSurviveOtherOperations", "a15_randomSequencesMatchTheModel");
        assertShrunk(outcome.failureMessage("a15_randomSequencesMatchTheModel"));
    }

    @Test
    void allocatorThatMissesDoubleFreesIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(DoubleFreeBlindAllocatorTest.class)
                .assertCaughtBy("a8_doubleFreeIsRefused", "a10_freeInsideAFreeEntryIsADoubleFree",
                        "a15_randomSequencesMatchTheModel");
        assertShrunk(outcome.failureMessage("a15_randomSequencesMatchTheModel"));
    }

    @Test
    void allocatorThatLosesThePayloadOnSplitIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(SplitLosesPayloadAllocatorTest.class)
                .assertCaughtBy("a2_blocksNeverOverlapOrLeaveTheHeap", "a4_payloadsSurviveOtherOperations",
                        "a15_randomSequencesMatchTheModel");
        assertShrunk(outcome.failureMessage("a15_randomSequencesMatchTheModel"));
    }

    @Test
    void allocatorThatIgnoresTheHeapOrderInHeadersIsCaughtByTheImageRule() {
        ContractRunner.run(LittleEndianHeadersAllocatorTest.class).assertCaughtBy("a18_emballocImage");
    }

    @Test
    void undeclaredFeaturesAreSkippedNamingTheFeature() {
        ContractRunner.run(NoFeaturesAllocatorTest.class)
                .assertAllPassed(15)
                .assertSkipped("a16_freeInsideBlock", "FREE_INSIDE_BLOCK")
                .assertSkipped("a17_zeroSizeBlocks", "ZERO_SIZE_FREEABLE")
                .assertSkipped("a18_emballocImage", "EMBALLOC_IMAGE_FORMAT")
                .assertSkipped("a19_threadSafety", "THREAD_SAFE")
                .assertSkipped("a20_freeingInAnyOrderRestoresTheHeap", "COALESCES_FULLY")
                .assertSkipped("a29_boundedViews", "BOUNDED_VIEWS")
                .assertSkipped("a30_countsAgreeWithTheOperations", "OPERATION_COUNTS");
    }

    private static void assertShrunk(String message) {
        assertTrue(message != null && message.contains("seed ") && message.contains("-D" + AllocatorContract.SEED_PROPERTY)
                        && message.contains("shortest failing prefix: ") && message.contains("as a trace:\nheap "),
                "a failing random sequence reports its seed, the shortest failing prefix and a reduced trace, was: "
                        + message);
    }

    // ---------------------------------------------------------------- usable size, reallocate, views, counts

    static class UsableSizeOneTooLargeTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.USABLE_SIZE_ONE_TOO_LARGE;
        }
    }

    static class UsableSizeOfFreeEntryTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.USABLE_SIZE_OF_FREE_ENTRY;
        }
    }

    static class ReallocateLosesPayloadTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.REALLOCATE_LOSES_PAYLOAD;
        }
    }

    static class ReallocateMovesInsteadOfGrowingTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.REALLOCATE_MOVES_INSTEAD_OF_GROWING;
        }
    }

    static class ReallocateFreesOnFailureTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.REALLOCATE_FREES_ON_FAILURE;
        }
    }

    static class ReallocateOfFreeEntryTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.REALLOCATE_OF_FREE_ENTRY;
        }
    }

    static class FreeNullThrowsTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.FREE_NULL_THROWS;
        }
    }

    static class CoalesceSkipsLastRunTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.COALESCE_SKIPS_LAST_RUN;
        }
    }

    static class ViewPastBlockTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.VIEW_PAST_BLOCK;
        }
    }

    static class CountsMoveTwiceTest extends BrokenAllocatorTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.COUNTS_MOVING_REALLOCATE_TWICE;
        }
    }

    /** A correct allocator that merges forward only (emballoc's rule) but claims COALESCES_FULLY. */
    static class ForwardClaimingFullCoalescingTest implements AllocatorContract {
        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false, Coalescing.FORWARD);
        }

        @Override
        public Set<AllocatorFeature> features() {
            return ReferenceAllocatorContractTest.with(ReferenceAllocatorContractTest.FEATURES,
                    AllocatorFeature.COALESCES_FULLY);
        }

        @Override
        public int randomSequences() {
            return 2;
        }
    }

    @Test
    void usableSizeOneByteTooLargeIsCaught() {
        ContractRunner.run(UsableSizeOneTooLargeTest.class).assertCaughtBy("a21_usableSizeIsExact",
                "a15_randomSequencesMatchTheModel");
    }

    @Test
    void usableSizeOfAFreeEntryIsCaught() {
        ContractRunner.run(UsableSizeOfFreeEntryTest.class).assertCaughtBy("a22_usableSizeIsRefusedLikeFree");
    }

    @Test
    void reallocateThatLosesThePayloadIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(ReallocateLosesPayloadTest.class)
                .assertCaughtBy("a23_reallocateKeepsThePayload", "a15_randomSequencesMatchTheModel");
        String message = outcome.failureMessage("a15_randomSequencesMatchTheModel");
        assertShrunk(message);
        assertTrue(message.contains("\nr b"), "the reduced trace of a failing reallocation has an r line: " + message);
    }

    @Test
    void reallocateThatMovesWhenItCouldGrowInPlaceIsCaught() {
        ContractRunner.run(ReallocateMovesInsteadOfGrowingTest.class).assertCaughtBy(
                "a24_reallocateStaysInPlaceWhenItCan", "a15_randomSequencesMatchTheModel");
    }

    @Test
    void reallocateThatFreesTheBlockWhenItFailsIsCaught() {
        ContractRunner.run(ReallocateFreesOnFailureTest.class).assertCaughtBy(
                "a25_reallocateOfNullAndFailedReallocation");
    }

    @Test
    void reallocateOfAFreeEntryIsCaught() {
        ContractRunner.run(ReallocateOfFreeEntryTest.class).assertCaughtBy("a26_reallocateRefusalsChangeNothing");
    }

    @Test
    void freeOfNullThatThrowsIsCaught() {
        ContractRunner.run(FreeNullThrowsTest.class).assertCaughtBy("a27_freeOfNullDoesNothing");
    }

    @Test
    void coalesceThatForgetsTheLastRunIsCaught() {
        ContractRunner.run(CoalesceSkipsLastRunTest.class).assertCaughtBy("a28_coalesceMergesEveryRun");
    }

    @Test
    void viewThatReachesTheNextHeaderIsCaught() {
        ContractRunner.run(ViewPastBlockTest.class).assertCaughtBy("a29_boundedViews");
    }

    @Test
    void countsThatCountAMoveAsAnAllocationAndAFreeAreCaught() {
        ContractRunner.run(CountsMoveTwiceTest.class).assertCaughtBy("a30_countsAgreeWithTheOperations");
    }

    @Test
    void forwardCoalescingCannotClaimFullCoalescing() {
        ContractRunner.run(ForwardClaimingFullCoalescingTest.class).assertCaughtBy(
                "a20_freeingInAnyOrderRestoresTheHeap");
    }

    // ---------------------------------------------------------------- crash consistency

    /** The reference allocator with one write-order bug, under the crash contract. */
    abstract static class BrokenWriteOrderTest implements CrashConsistencyContract {
        abstract ReferenceAllocator.Bug bug();

        Coalescing coalescing() {
            return Coalescing.FORWARD;
        }

        @Override
        public Allocator newAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, false, coalescing(), bug());
        }

        @Override
        public Set<AllocatorFeature> features() {
            return ReferenceAllocatorContractTest.FEATURES;
        }
    }

    static class OldWriteOrderTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.OLD_WRITE_ORDER;
        }
    }

    /** The same allocator declaring no features: only the rules every allocator must keep apply. */
    static class OldWriteOrderWithoutFeaturesTest extends OldWriteOrderTest {
        @Override
        public Set<AllocatorFeature> features() {
            return EnumSet.noneOf(AllocatorFeature.class);
        }
    }

    static class ShrinkHeaderFirstTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.SHRINK_HEADER_FIRST;
        }
    }

    static class GrowHeaderFirstTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.GROW_HEADER_FIRST;
        }
    }

    static class MovingFreesBeforeCopyTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.MOVING_FREES_BEFORE_COPY;
        }
    }

    static class BothFreeTwoWritesTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.BOTH_FREE_TWO_WRITES;
        }

        @Override
        Coalescing coalescing() {
            return Coalescing.BOTH;
        }
    }

    static class CoalescePerEntryTest extends BrokenWriteOrderTest {
        @Override
        ReferenceAllocator.Bug bug() {
            return ReferenceAllocator.Bug.COALESCE_WRITES_PER_ENTRY;
        }
    }

    @Test
    void todaysOldWriteOrderOfAllocateIsCaught() {
        // on a fresh heap the stale bytes are zeros, read as zero-size free entries: a sound image, but neither
        // the image before the allocation nor the one after it
        ContractRunner.Outcome outcome = ContractRunner.run(OldWriteOrderTest.class)
                .assertCaughtBy("w1_allocateIsCrashConsistent", "w4_movingReallocateIsCrashConsistent");
        String message = outcome.failureMessage("w1_allocateIsCrashConsistent");
        assertTrue(message.startsWith("W1: the case of a 64-byte heap, operation 0, allocate(40, 1) -> 4:\n  a crash after"
                        + " 1 of its 2 write(s) leaves an image where its entries are [0 used 40, 44 free 0, 48 free 0,"
                        + " 52 free 0, 56 free 0], neither those before it nor those after it")
                        && message.contains("its writes, in order:\n    1. putInt at 0: 51 00 00 00 (a header: used 40)\n"
                        + "    2. putInt at 44: 20 00 00 00 (a header: free 16)\n"),
                "W1 names the operation, the prefix and the decoded writes, was: " + message);
    }

    @Test
    void todaysOldWriteOrderIsCaughtWithoutTheImageFeatureToo() {
        // the case of issue 11: allocate(40), fill it with 0xFF, free it, allocate(8) interrupted after its first write
        ContractRunner.Outcome outcome = ContractRunner.run(OldWriteOrderWithoutFeaturesTest.class)
                .assertCaughtBy("w1_allocateIsCrashConsistent");
        String message = outcome.failureMessage("w1_allocateIsCrashConsistent");
        assertTrue(message.startsWith("W1: the case of a 64-byte heap, operation 2, allocate(8, 1) -> 4:\n  a crash after"
                        + " 1 of its 2 write(s) leaves an image where the image does not attach: ")
                        && message.contains("offset 12") && message.contains("2147483647")
                        && message.contains("1. putInt at 0: 11 00 00 00\n"),
                "W1 refuses the issue's case as corrupt at offset 12, was: " + message);
    }

    @Test
    void shrinkThatWritesTheBlockHeaderFirstIsCaught() {
        ContractRunner.run(ShrinkHeaderFirstTest.class).assertCaughtBy("w3_reallocateInPlaceIsCrashConsistent");
    }

    @Test
    void growthThatWritesTheBlockHeaderFirstIsCaught() {
        ContractRunner.run(GrowHeaderFirstTest.class).assertCaughtBy("w3_reallocateInPlaceIsCrashConsistent");
    }

    @Test
    void movingReallocateThatFreesBeforeItCopiesIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(MovingFreesBeforeCopyTest.class)
                .assertCaughtBy("w4_movingReallocateIsCrashConsistent");
        String message = outcome.failureMessage("w4_movingReallocateIsCrashConsistent");
        assertTrue(message.contains("random sequence of seed ") && message.contains("-D"
                + CrashConsistencyContract.SEED_PROPERTY + "="), "W4 names the seed to replay, was: " + message);
    }

    @Test
    void freeWithBothCoalescingThatWritesTwoHeadersIsCaught() {
        ContractRunner.run(BothFreeTwoWritesTest.class).assertCaughtBy("w2_freeIsCrashConsistent");
    }

    @Test
    void coalesceThatGrowsARunEntryByEntryIsCaught() {
        ContractRunner.run(CoalescePerEntryTest.class).assertCaughtBy("w5_coalesceIsCrashConsistent");
    }

    // ---------------------------------------------------------------- emballoc compatibility

    static class FirstFitPosingAsBestTest implements EmballocCompatibilityContract {
        @Override
        public Allocator newBestFitAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true, ReferenceAllocator.Bug.ALWAYS_FIRST_FIT);
        }
    }

    static class LittleEndianHeadersCompatibilityTest implements EmballocCompatibilityContract {
        @Override
        public Allocator newBestFitAllocator(RawHeap heap) {
            return new ReferenceAllocator(heap, true, ReferenceAllocator.Bug.HEADERS_ALWAYS_LITTLE_ENDIAN);
        }
    }

    @Test
    void firstFitPosingAsBestFitIsCaught() {
        ContractRunner.run(FirstFitPosingAsBestTest.class).assertCaughtBy("e1_bestFitReplaysLikeEmballoc")
                .assertSkipped("e4_firstFitReplaysExactly", "newFirstFitAllocator returns null");
    }

    @Test
    void headersInAFixedByteOrderAreCaught() {
        ContractRunner.run(LittleEndianHeadersCompatibilityTest.class).assertCaughtBy("e2_headersAreEmballocWords");
    }

    // ---------------------------------------------------------------- critical sections

    /** A lock that does nothing. */
    static final class NoOpSection implements CriticalSection {
        @Override
        public void enter() {
        }

        @Override
        public void exit() {
        }
    }

    /** A reentrant lock that neither refuses re-entry nor checks its exits. */
    static final class PermissiveSection implements CriticalSection {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void enter() {
            lock.lock();
        }

        @Override
        public void exit() {
            lock.unlock();
        }
    }

    /** A correct section (a {@link ReentrantLock} that refuses re-entry and unpaired exits). */
    static class CheckedSection implements CriticalSection {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void enter() {
            if (lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("re-entered by " + Thread.currentThread().getName());
            }
            lock.lock();
        }

        @Override
        public void exit() {
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("exit without enter by " + Thread.currentThread().getName());
            }
            lock.unlock();
        }
    }

    /** Correct enter and exit, but a run() that does not leave the section when the action throws. */
    static final class LeakyRunSection extends CheckedSection {
        @Override
        public void run(Runnable action) {
            Objects.requireNonNull(action, "action");
            enter();
            action.run();
            exit();
        }
    }

    /** A correct section confined to the thread that made it. */
    static class ConfinedSection implements CriticalSection {
        final Thread owner = Thread.currentThread();
        boolean inside;

        void checkThread() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("confined to " + owner.getName());
            }
        }

        @Override
        public void enter() {
            checkThread();
            if (inside) {
                throw new IllegalStateException("re-entered");
            }
            inside = true;
        }

        @Override
        public void exit() {
            checkThread();
            if (!inside) {
                throw new IllegalStateException("exit without enter");
            }
            inside = false;
        }
    }

    /** Says it is confined, but lets any thread in. */
    static final class UnconfinedSection extends ConfinedSection {
        @Override
        void checkThread() {
        }
    }

    /**
     * A correct spin-then-park lock: a CAS on the owner, a bounded park back-off that clears the interrupt
     * status before parking (so that an interrupted waiter really parks) and sets it again once in. The
     * subclasses each break one of those.
     */
    static class ParkingSection implements CriticalSection {
        private final AtomicReference<Thread> owner = new AtomicReference<>();

        @Override
        public void enter() {
            Thread me = Thread.currentThread();
            if (owner.get() == me) {
                throw new IllegalStateException("re-entered by " + me.getName());
            }
            boolean interrupted = false;
            long parkNanos = 10_000;
            while (!owner.compareAndSet(null, me)) {
                interrupted |= park(parkNanos);
                parkNanos = nextPark(parkNanos);
            }
            if (interrupted) {
                restoreInterrupt();
            }
        }

        @Override
        public void exit() {
            if (!owner.compareAndSet(Thread.currentThread(), null)) {
                throw new IllegalStateException("exit without enter by " + Thread.currentThread().getName());
            }
        }

        /** Parks once; returns whether the interrupt status was set (and cleared here). */
        boolean park(long nanos) {
            boolean interrupted = Thread.interrupted();
            LockSupport.parkNanos(this, nanos);
            return interrupted;
        }

        long nextPark(long nanos) {
            return Math.min(nanos * 2, 200_000);
        }

        void restoreInterrupt() {
            Thread.currentThread().interrupt();
        }
    }

    /** Parks without clearing the interrupt status: parkNanos then returns at once, and the waiter spins. */
    static final class InterruptSpinningSection extends ParkingSection {
        @Override
        boolean park(long nanos) {
            LockSupport.parkNanos(this, nanos);
            return false;
        }
    }

    /** Clears the interrupt status to park, and never sets it again: the caller's interrupt is lost. */
    static final class InterruptSwallowingSection extends ParkingSection {
        @Override
        void restoreInterrupt() {
        }
    }

    /** Doubles its park without a ceiling: after a long hold a waiter sleeps on long after the release. */
    static final class UnboundedBackOffSection extends ParkingSection {
        @Override
        long nextPark(long nanos) {
            return nanos * 2;
        }
    }

    static class ParkingSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new ParkingSection();
        }
    }

    static class InterruptSpinningSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new InterruptSpinningSection();
        }
    }

    static class InterruptSwallowingSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new InterruptSwallowingSection();
        }
    }

    static class UnboundedBackOffSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new UnboundedBackOffSection();
        }
    }

    static class NoOpSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new NoOpSection();
        }
    }

    static class PermissiveSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new PermissiveSection();
        }
    }

    static class LeakyRunSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new LeakyRunSection();
        }
    }

    static class CheckedSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new CheckedSection();
        }
    }

    static class ConfinedSectionTest implements CriticalSectionContract {
        @Override
        public CriticalSection newCriticalSection() {
            return new ConfinedSection();
        }

        @Override
        public Set<CriticalSectionFeature> features() {
            return EnumSet.of(CriticalSectionFeature.CONFINED_TO_ONE_THREAD);
        }
    }

    static class UnconfinedSectionTest extends ConfinedSectionTest {
        @Override
        public CriticalSection newCriticalSection() {
            return new UnconfinedSection();
        }
    }

    @Test
    void lockThatDoesNothingIsCaught() {
        ContractRunner.run(NoOpSectionTest.class).assertCaughtBy("c1_mutualExclusion", "c4_reentryIsRefused",
                "c5_unpairedExitIsRefused", "c6_exitByAnotherThreadIsRefused");
    }

    @Test
    void lockThatAllowsReentryIsCaught() {
        ContractRunner.run(PermissiveSectionTest.class).assertCaughtBy("c4_reentryIsRefused",
                "c5_unpairedExitIsRefused");
    }

    @Test
    void runThatDoesNotReleaseOnThrowIsCaught() {
        ContractRunner.run(LeakyRunSectionTest.class).assertCaughtBy("c7_runAndCallReleaseOnThrow");
    }

    @Test
    void correctLockPassesEveryRule() {
        ContractRunner.run(CheckedSectionTest.class).assertAllPassed(12)
                .assertSkipped("c11_confinedSectionRefusesOtherThreads", "CONFINED_TO_ONE_THREAD");
    }

    @Test
    void correctSpinThenParkLockPassesEveryRule() {
        ContractRunner.run(ParkingSectionTest.class).assertAllPassed(12)
                .assertSkipped("c11_confinedSectionRefusesOtherThreads", "CONFINED_TO_ONE_THREAD");
    }

    @Test
    void waiterThatSpinsWhenInterruptedIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(InterruptSpinningSectionTest.class)
                .assertCaughtBy("c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus");
        assertTrue(outcome.failureMessage("c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus")
                .contains("spun while it waited"), () -> outcome.failed.toString());
    }

    @Test
    void lockThatSwallowsTheInterruptIsCaught() {
        ContractRunner.Outcome outcome = ContractRunner.run(InterruptSwallowingSectionTest.class)
                .assertCaughtBy("c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus");
        assertTrue(outcome.failureMessage("c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus")
                .contains("came out of enter() with its interrupt status cleared"), () -> outcome.failed.toString());
    }

    @Test
    void backOffWithoutACeilingIsCaught() {
        ContractRunner.run(UnboundedBackOffSectionTest.class).assertCaughtBy("c13_waitersGetInPromptlyAfterALongHold");
    }

    @Test
    void confinedSectionSkipsContentionAndPassesTheRest() {
        ContractRunner.run(ConfinedSectionTest.class).assertAllPassed(8)
                .assertSkipped("c1_mutualExclusion", "CONFINED_TO_ONE_THREAD")
                .assertSkipped("c2_plainFieldsAreGuarded", "CONFINED_TO_ONE_THREAD")
                .assertSkipped("c3_publication", "CONFINED_TO_ONE_THREAD")
                .assertSkipped("c12_interruptedWaiterDoesNotSpinAndKeepsItsStatus", "CONFINED_TO_ONE_THREAD")
                .assertSkipped("c13_waitersGetInPromptlyAfterALongHold", "CONFINED_TO_ONE_THREAD");
    }

    @Test
    void sectionThatClaimsConfinementButAdmitsAnyThreadIsCaught() {
        ContractRunner.run(UnconfinedSectionTest.class).assertCaughtBy("c11_confinedSectionRefusesOtherThreads");
    }

    /** A heap that forwards every call (subclasses break one). */
    static class ForwardingHeap implements RawHeap {
        private final RawHeap delegate;

        ForwardingHeap(RawHeap delegate) {
            this.delegate = delegate;
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
        }

        @Override
        public int getInt(int offset) {
            return delegate.getInt(offset);
        }

        @Override
        public void putInt(int offset, int value) {
            delegate.putInt(offset, value);
        }

        @Override
        public long getLong(int offset) {
            return delegate.getLong(offset);
        }

        @Override
        public void putLong(int offset, long value) {
            delegate.putLong(offset, value);
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            delegate.getBytes(offset, dst, dstOffset, length);
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            delegate.putBytes(offset, src, srcOffset, length);
        }

        @Override
        public void fill(int offset, int length, byte value) {
            HeapBounds.check(offset, length, capacity());
            delegate.fill(offset, length, value);
        }
    }
}
