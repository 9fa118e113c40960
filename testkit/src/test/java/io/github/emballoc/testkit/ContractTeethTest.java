package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.HeapBounds;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
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
    void heapThatAllocatesPerAccessIsCaught() {
        ContractRunner.run(RecordingHeapTest.class).assertCaughtBy("h11_singleValueAccessesAllocateNothing");
    }

    @Test
    void correctHeapPassesEveryRule() {
        ContractRunner.run(CorrectForwardingHeapTest.class).assertAllPassed(11);
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
                .assertSkipped("a20_freeingInAnyOrderRestoresTheHeap", "COALESCES_FULLY");
    }

    private static void assertShrunk(String message) {
        assertTrue(message != null && message.contains("seed ") && message.contains("-D" + AllocatorContract.SEED_PROPERTY)
                        && message.contains("shortest failing prefix: ") && message.contains("as a trace:\nheap "),
                "a failing random sequence reports its seed, the shortest failing prefix and a reduced trace, was: "
                        + message);
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
