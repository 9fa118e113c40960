package io.github.emballoc.benchmarks.subject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.emballoc.api.RawHeap;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmballocSubjectTest {

    private static byte[] bytes(RawHeap heap) {
        byte[] copy = new byte[heap.capacity()];
        heap.getBytes(0, copy, 0, copy.length);
        return copy;
    }

    /** The fast fill writes the bytes that one allocate per block writes, and fails the same requests. */
    @ParameterizedTest
    @ValueSource(strings = {"firstfit-best", "firstfit-first"})
    void fillWritesWhatSequentialAllocationsWrite(String allocator) {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int capacity = 8 + 4 * random.nextInt(0, 200);
            int count = random.nextInt(0, 80);
            int[] sizes = new int[count];
            for (int i = 0; i < count; i++) {
                sizes[i] = random.nextInt(1, 40);
            }
            try (EmballocSubject sequential = subject(allocator, capacity, count);
                    EmballocSubject filled = subject(allocator, capacity, count)) {
                int sequentialFailures = 0;
                for (int i = 0; i < count; i++) {
                    if (!sequential.allocate(i, sizes[i])) {
                        sequentialFailures++;
                    }
                }
                int fillFailures = filled.fill(sizes, count);
                assertEquals(sequentialFailures, fillFailures, "failures, seed " + seed);
                assertArrayEquals(bytes(sequential.allocator().heap()), bytes(filled.allocator().heap()),
                        "heap bytes, seed " + seed);
                filled.allocator().verify();
                // the handles are the same: freeing every slot of both leaves the same bytes again
                for (int i = 0; i < count; i++) {
                    sequential.free(i);
                    filled.free(i);
                }
                assertArrayEquals(bytes(sequential.allocator().heap()), bytes(filled.allocator().heap()),
                        "heap bytes after freeing every block, seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"firstfit-best", "firstfit-first"})
    void fillRefusesASubjectThatHoldsBlocks(String allocator) {
        try (EmballocSubject subject = subject(allocator, 1024, 4)) {
            subject.allocate(2, 16);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> subject.fill(new int[] {8, 8}, 2));
            assertEquals("fill() needs a subject on which nothing is allocated", e.getMessage());
        }
    }

    private static EmballocSubject subject(String allocator, int capacity, int slots) {
        return new EmballocSubject(Heaps.open("array", capacity), Subjects.emballoc(allocator, Sharing.CONFINED),
                Math.max(slots, 1));
    }
}
