package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DurableAllocator}: every operation that changed the heap is followed by exactly one
 * {@link RawHeap#force()} before it returns; failed, refused and reading calls are not forced and are passed on
 * unchanged.
 */
class DurableAllocatorTest {

    /** One log of the allocator's calls and the heap's forces, in the order they happened. */
    private final List<String> log = new ArrayList<>();

    /** A heap in memory whose {@code force()} is logged (a proxy that passes every other call on). */
    private RawHeap forceLoggingHeap() {
        RawHeap memory = RawHeaps.allocate(64);
        return (RawHeap) Proxy.newProxyInstance(RawHeap.class.getClassLoader(), new Class<?>[] {RawHeap.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("force")) {
                        log.add("force");
                        return null;
                    }
                    return method.invoke(memory, args);
                });
    }

    /** An allocator that logs its calls and returns what the test sets. */
    private class ScriptedAllocator implements Allocator {
        final RawHeap heap = forceLoggingHeap();
        int result;
        RuntimeException failure;

        private int answer(String call) {
            log.add(call);
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        @Override
        public RawHeap heap() {
            return heap;
        }

        @Override
        public int allocate(int size, int alignment) {
            return answer("allocate(" + size + ", " + alignment + ")");
        }

        @Override
        public int allocateOrThrow(int size, int alignment) {
            return answer("allocateOrThrow(" + size + ", " + alignment + ")");
        }

        @Override
        public void free(int handle) {
            answer("free(" + handle + ")");
        }

        @Override
        public int usableSize(int handle) {
            return answer("usableSize(" + handle + ")");
        }

        @Override
        public int reallocate(int handle, int newSize, int alignment) {
            return answer("reallocate(" + handle + ", " + newSize + ", " + alignment + ")");
        }

        @Override
        public int coalesce() {
            return answer("coalesce()");
        }

        @Override
        public ByteBuffer view(int handle) {
            answer("view(" + handle + ")");
            return ByteBuffer.allocate(1);
        }

        @Override
        public OperationCounts counts() {
            answer("counts()");
            return new OperationCounts(1, 2, 3, 4);
        }

        @Override
        public HeapStats stats() {
            answer("stats()");
            return new HeapStats(64, 0, 1, 0, 60, 60);
        }

        @Override
        public void walk(EntryVisitor visitor) {
            answer("walk");
        }

        @Override
        public void verify() {
            answer("verify()");
        }
    }

    @Test
    void everyOperationThatChangedTheHeapIsForcedBeforeItReturns() {
        ScriptedAllocator inner = new ScriptedAllocator();
        DurableAllocator durable = DurableAllocator.of(inner);
        inner.result = 8;
        assertEquals(8, durable.allocate(16));
        assertEquals(8, durable.allocate(16, 8));
        assertEquals(8, durable.allocateOrThrow(4));
        assertEquals(8, durable.reallocate(8, 40));
        durable.free(8);
        inner.result = 2;
        assertEquals(2, durable.coalesce());
        assertEquals(List.of("allocate(16, 1)", "force", "allocate(16, 8)", "force", "allocateOrThrow(4, 1)", "force",
                "reallocate(8, 40, 1)", "force", "free(8)", "force", "coalesce()", "force"), log);
    }

    @Test
    void callsThatChangedNothingAreNotForced() {
        ScriptedAllocator inner = new ScriptedAllocator();
        DurableAllocator durable = DurableAllocator.of(inner);
        inner.result = Allocator.NULL;
        assertEquals(Allocator.NULL, durable.allocate(1 << 20));
        assertEquals(Allocator.NULL, durable.reallocate(8, 1 << 20, 4));
        durable.free(Allocator.NULL);
        inner.result = 0;
        assertEquals(0, durable.coalesce());
        assertEquals(0, durable.usableSize(8));
        durable.view(8);
        durable.stats();
        durable.walk((offset, used, size) -> { });
        durable.verify();
        assertEquals(new OperationCounts(1, 2, 3, 4), durable.counts());
        assertEquals(List.of("allocate(1048576, 1)", "reallocate(8, 1048576, 4)", "free(-1)", "coalesce()",
                "usableSize(8)", "view(8)", "stats()", "walk", "verify()", "counts()"), log);
    }

    @Test
    void aFailedOperationIsPassedOnAndNotForced() {
        ScriptedAllocator inner = new ScriptedAllocator();
        DurableAllocator durable = DurableAllocator.of(inner);
        inner.failure = new DoubleFreeException(12, 8, 16);
        assertSame(inner.failure, assertThrows(DoubleFreeException.class, () -> durable.free(12)));
        inner.failure = new HeapExhaustedException(100, 1, 20, 40);
        assertSame(inner.failure, assertThrows(HeapExhaustedException.class, () -> durable.allocateOrThrow(100)));
        assertEquals(List.of("free(12)", "allocateOrThrow(100, 1)"), log);
    }

    @Test
    void wrappingIsIdempotentAndKeepsTheHeap() {
        ScriptedAllocator inner = new ScriptedAllocator();
        DurableAllocator durable = DurableAllocator.of(inner);
        assertSame(durable, DurableAllocator.of(durable));
        assertSame(inner, durable.unwrap());
        assertSame(inner.heap, durable.heap());
        assertThrows(NullPointerException.class, () -> DurableAllocator.of(null));
    }

    @Test
    void anOperationOnAClosedMappedHeapThrowsIllegalState(@TempDir Path dir) throws IOException {
        MappedHeap mapped = RawHeaps.map(dir.resolve("closed.heap"), 16);
        DurableAllocator durable = DurableAllocator.of(new ScriptedAllocator() {
            @Override
            public RawHeap heap() {
                return mapped;
            }
        });
        mapped.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> durable.allocate(4));
        assertEquals("heap closed: " + mapped, e.getMessage());
    }
}
