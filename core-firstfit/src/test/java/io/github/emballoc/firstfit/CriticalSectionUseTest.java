package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Fit;
import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapExhaustedException;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Every public operation runs inside the allocator's critical section: after building, the heap is read
 * and written only while the section is held, each operation enters exactly once, and the section is left
 * on every path, exceptions included.
 */
class CriticalSectionUseTest {

    private static final class RecordingSection implements CriticalSection {
        boolean inside;
        int entries;

        @Override
        public void enter() {
            if (inside) {
                throw new IllegalStateException("re-entered");
            }
            inside = true;
            entries++;
        }

        @Override
        public void exit() {
            if (!inside) {
                throw new IllegalStateException("exit without enter");
            }
            inside = false;
        }
    }

    /** A heap that fails any access made outside the section once it is armed. */
    private static final class GuardedHeap implements RawHeap {
        final RawHeap delegate = RawHeaps.allocate(256);
        final RecordingSection section;
        boolean armed;

        GuardedHeap(RecordingSection section) {
            this.section = section;
        }

        private void check() {
            if (armed && !section.inside) {
                throw new AssertionError("heap accessed outside the critical section");
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
            check();
            return delegate.getByte(offset);
        }

        @Override
        public void putByte(int offset, byte value) {
            check();
            delegate.putByte(offset, value);
        }

        @Override
        public int getInt(int offset) {
            check();
            return delegate.getInt(offset);
        }

        @Override
        public void putInt(int offset, int value) {
            check();
            delegate.putInt(offset, value);
        }

        @Override
        public long getLong(int offset) {
            check();
            return delegate.getLong(offset);
        }

        @Override
        public void putLong(int offset, long value) {
            check();
            delegate.putLong(offset, value);
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            check();
            delegate.getBytes(offset, dst, dstOffset, length);
        }

        @Override
        public void putBytes(int offset, byte[] src, int srcOffset, int length) {
            check();
            delegate.putBytes(offset, src, srcOffset, length);
        }

        @Override
        public void fill(int offset, int length, byte value) {
            check();
            delegate.fill(offset, length, value);
        }
    }

    @Test
    void everyOperationAccessesTheHeapOnlyInsideTheSectionAndLeavesIt() {
        RecordingSection section = new RecordingSection();
        GuardedHeap heap = new GuardedHeap(section);
        for (Fit fit : Fit.values()) {
            heap.armed = false;
            heap.delegate.fill(0, 256, (byte) 0);
            FirstFitAllocator allocator = FirstFitAllocator.builder(heap).fit(fit).criticalSection(section).build();
            heap.armed = true;
            int before = section.entries;
            int a = allocator.allocate(16);
            int b = allocator.allocate(8, 16);
            allocator.allocateOrThrow(4);
            allocator.free(a);
            assertThrows(DoubleFreeException.class, () -> allocator.free(a));
            assertThrows(InvalidFreeException.class, () -> allocator.free(2));
            assertThrows(HeapExhaustedException.class, () -> allocator.allocateOrThrow(1000));
            allocator.stats();
            allocator.walk((offset, used, size) -> assertTrue(section.inside));
            allocator.verify();
            allocator.free(b);
            assertEquals(false, section.inside, "the section was left");
            // one entry per operation; free(2) is refused before entering (no block can start before 4)
            assertEquals(10, section.entries - before, fit.toString());
        }
    }
}
