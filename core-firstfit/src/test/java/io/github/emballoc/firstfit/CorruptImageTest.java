package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attaching to images: sound ones are accepted and continue; corrupt ones are refused with
 * {@link HeapCorruptedException} naming the first bad header (as {@link ImageChecker} finds it
 * independently), never an exception of another kind, never a hang, and never a changed byte.
 */
class CorruptImageTest {

    private static FirstFitAllocator attach(RawHeap heap) {
        return FirstFitAllocator.builder(heap).criticalSection(new PlainSection()).build();
    }

    /** A sound image of the given capacity after some random operations. */
    private static byte[] soundImage(SplittableRandom random, int capacity, ByteOrder order) {
        byte[] image = new byte[capacity];
        Allocator allocator = attach(RawHeaps.wrap(image, order));
        List<Integer> handles = new ArrayList<>();
        int ops = random.nextInt(40);
        for (int i = 0; i < ops; i++) {
            if (handles.isEmpty() || random.nextBoolean()) {
                int handle = allocator.allocate(random.nextInt(Math.max(1, capacity / 4)), 1 << random.nextInt(4));
                if (handle != Allocator.NULL) {
                    handles.add(handle);
                }
            } else {
                allocator.free(handles.remove(random.nextInt(handles.size())));
            }
        }
        return image;
    }

    @Test
    void sizeNotAMultipleOfFourIsRefusedAtThatHeader() {
        byte[] image = new byte[64];
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0, HeaderDescriptor.word(8, true));
        buffer.putInt(12, (13 << 1)); // free, size 13
        byte[] before = image.clone();
        HeapCorruptedException e = assertThrows(HeapCorruptedException.class, () -> attach(RawHeaps.wrap(image)));
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().contains("offset 12") && e.getMessage().contains("size 13 is not a multiple of 4"),
                e.getMessage());
        assertArrayEquals(before, image, "a refused image must be left as it was");
    }

    @Test
    void sizePastTheEndIsRefusedAtThatHeader() {
        byte[] image = new byte[32];
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.BIG_ENDIAN);
        buffer.putInt(0, HeaderDescriptor.word(4, false));
        buffer.putInt(8, HeaderDescriptor.word(24, true)); // ends at 36 > 32
        byte[] before = image.clone();
        HeapCorruptedException e = assertThrows(HeapCorruptedException.class,
                () -> attach(RawHeaps.wrap(image, ByteOrder.BIG_ENDIAN)));
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("ends at 36, past the capacity 32"), e.getMessage());
        assertArrayEquals(before, image);
    }

    @Test
    void theWrongByteOrderIsRefusedNotMisread() {
        byte[] image = new byte[64];
        Allocator allocator = attach(RawHeaps.wrap(image, ByteOrder.BIG_ENDIAN));
        allocator.allocate(8);
        byte[] before = image.clone();
        HeapCorruptedException e = assertThrows(HeapCorruptedException.class, () -> attach(RawHeaps.wrap(image)));
        assertEquals(0, e.offset());
        assertArrayEquals(before, image);
    }

    @Test
    void twoNeighbouringFreeEntriesAndAnUnvisitedTailAreSound() {
        byte[] image = new byte[40];
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0, HeaderDescriptor.word(8, false));
        buffer.putInt(12, HeaderDescriptor.word(4, false));
        buffer.putInt(20, HeaderDescriptor.word(12, true));
        // walk ends at 36 = capacity - 4; the last word is never read
        buffer.putInt(36, 0xFFFF_FFFF);
        FirstFitAllocator allocator = attach(RawHeaps.wrap(image));
        assertEquals("[0 free 8, 12 free 4, 20 used 12]", WalkRecorder.describe(WalkRecorder.walk(allocator)));
        allocator.verify();
    }

    /** Targeted corruptions of a visited header of a random sound image: always refused at that header. */
    @Test
    void targetedCorruptionsAreRefusedAtTheCorruptedHeader() {
        SplittableRandom random = new SplittableRandom(0xC0FFEE);
        for (int i = 0; i < 3000; i++) {
            long seed = random.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            ByteOrder order = r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int capacity = 8 + 4 * r.nextInt(200);
            byte[] image = soundImage(r, capacity, order);
            List<Integer> headers = new ArrayList<>();
            attach(RawHeaps.wrap(image.clone(), order)).walk((offset, used, size) -> headers.add(offset));
            int victim = headers.get(r.nextInt(headers.size()));
            ByteBuffer buffer = ByteBuffer.wrap(image).order(order);
            int word = buffer.getInt(victim);
            int badSize;
            if (r.nextBoolean()) {
                badSize = ((word >>> 1) & ~3) | (1 + r.nextInt(3)); // not a multiple of 4
            } else {
                badSize = (capacity - victim) + 4 * r.nextInt(1000); // payload ends past the capacity
            }
            buffer.putInt(victim, (badSize << 1) | (word & 1));
            if (victim == 0 && buffer.getInt(0) == 0) {
                continue; // became "uninitialised", which is not a corruption
            }
            expectRefusedAt(image, order, victim, "seed " + seed);
        }
    }

    /**
     * Random bit flips anywhere in a random sound image: the outcome must be what the independent checker
     * says, refused at the first bad header or accepted and sound.
     */
    @Test
    @Timeout(60)
    void randomBitFlipsAreRefusedExactlyWhenTheImageBreaksTheRules() {
        SplittableRandom random = new SplittableRandom(0xB17F11B5L);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            long seed = random.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            ByteOrder order = r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int capacity = 8 + 4 * r.nextInt(100);
            byte[] image = soundImage(r, capacity, order);
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int bit = r.nextInt(capacity * 8);
                image[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            if (ByteBuffer.wrap(image).order(order).getInt(0) == 0) {
                continue;
            }
            long expected = ImageChecker.firstBadHeader(image, order);
            if (expected >= 0) {
                expectRefusedAt(image, order, (int) expected, "seed " + seed);
                refused++;
            } else {
                FirstFitAllocator allocator = attach(RawHeaps.wrap(image, order));
                allocator.verify();
                allocator.stats();
                accepted++;
            }
        }
        assertTrue(refused > 1000 && accepted > 100, "refused " + refused + ", accepted " + accepted);
    }

    /** A header broken behind the allocator's back stops the next operation that meets it, changing nothing. */
    @Test
    void operationsMeetingACorruptHeaderThrowAndChangeNothing() {
        byte[] image = new byte[64];
        RawHeap heap = RawHeaps.wrap(image);
        FirstFitAllocator allocator = attach(heap);
        int a = allocator.allocate(8);
        int b = allocator.allocate(8);
        heap.putInt(b - 4, (1 << 30) | 1); // the second block now claims 2^29 bytes
        byte[] before = image.clone();
        assertEquals(b - 4, assertThrows(HeapCorruptedException.class, () -> allocator.allocate(8)).offset());
        assertEquals(b - 4, assertThrows(HeapCorruptedException.class, () -> allocator.free(b)).offset());
        assertEquals(b - 4, assertThrows(HeapCorruptedException.class, allocator::verify).offset());
        assertEquals(b - 4, assertThrows(HeapCorruptedException.class, allocator::stats).offset());
        // freeing the first block reads the next header to decide on merging, and meets the bad one
        assertEquals(b - 4, assertThrows(HeapCorruptedException.class, () -> allocator.free(a)).offset());
        assertArrayEquals(before, image, "no operation may write once it has met a corrupt header");
    }

    private static void expectRefusedAt(byte[] image, ByteOrder order, int offset, String context) {
        byte[] before = image.clone();
        try {
            assertTimeoutPreemptivelyQuick(() -> attach(RawHeaps.wrap(image, order)));
            fail(context + ": an image whose header at " + offset + " breaks the rules was accepted");
        } catch (HeapCorruptedException e) {
            assertEquals(offset, e.offset(), context + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
        }
        assertArrayEquals(before, image, context + ": a refused image must be left as it was");
    }

    private static void assertTimeoutPreemptivelyQuick(Runnable attach) {
        long start = System.nanoTime();
        attach.run();
        if (System.nanoTime() - start > Duration.ofSeconds(5).toNanos()) {
            fail("attaching took more than 5 s");
        }
    }
}
