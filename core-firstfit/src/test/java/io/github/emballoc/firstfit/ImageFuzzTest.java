package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emballoc.api.Fit;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.DoubleFreeException;
import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.InvalidFreeException;
import io.github.emballoc.api.RawHeaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Coverage-guided fuzzing of attaching to arbitrary images, then operating on the ones accepted.
 *
 * <p>Properties: attaching either succeeds exactly when {@link ImageChecker} finds no bad header, or throws
 * {@link HeapCorruptedException} at the header it finds, leaving the bytes unchanged; no other exception
 * type escapes. After a successful attach, operations chosen by the input throw only the documented
 * exceptions and leave an image that {@code verify()} accepts.
 *
 * <p>In {@code mvn verify} this runs in regression mode over the inputs in
 * {@code src/test/resources/io/github/emballoc/firstfit/ImageFuzzTestInputs/attachArbitraryImages}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl core-firstfit -am test -Dtest=ImageFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (the flag lets the modules built before this one, which have no such test, pass; findings are stored
 * beside the inputs; keep the interesting ones as regression inputs).
 */
class ImageFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void attachArbitraryImages(FuzzedDataProvider data) {
        ByteOrder order = data.consumeBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean best = data.consumeBoolean();
        int capacity = 8 + 4 * data.consumeInt(0, 256);
        byte[] image = new byte[capacity];
        byte[] content = data.consumeBytes(capacity);
        System.arraycopy(content, 0, image, 0, content.length);
        byte[] before = image.clone();
        long expectedBad = ByteBuffer.wrap(image).order(order).getInt(0) == 0 ? -1
                : ImageChecker.firstBadHeader(image, order);
        FirstFitAllocator allocator;
        try {
            allocator = FirstFitAllocator.builder(RawHeaps.wrap(image, order)).fit(best ? Fit.BEST : Fit.FIRST)
                    .criticalSection(new PlainSection()).build();
        } catch (HeapCorruptedException e) {
            assertEquals(expectedBad, e.offset(), e.getMessage());
            assertArrayEquals(before, image, "a refused image must be left as it was");
            return;
        }
        assertEquals(-1, expectedBad, "an image with a bad header at " + expectedBad + " was accepted");
        allocator.verify();
        int operations = data.consumeInt(0, 64);
        for (int i = 0; i < operations && data.remainingBytes() > 0; i++) {
            if (data.consumeBoolean()) {
                int size = data.consumeInt(0, capacity + 16);
                int alignment = 1 << data.consumeInt(0, 12);
                int handle = allocator.allocate(size, alignment);
                if (handle != Allocator.NULL) {
                    assertEquals(0, handle % alignment);
                }
            } else {
                int offset = data.consumeInt(-8, capacity + 8);
                try {
                    allocator.free(offset);
                } catch (DoubleFreeException | InvalidFreeException expected) {
                    // documented outcomes of freeing an arbitrary offset
                }
            }
            allocator.verify();
        }
        allocator.stats();
    }
}
