package io.github.emballoc.firstfit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An independent statement of "Checking an image" from heap-format.md, over a plain {@link ByteBuffer} and
 * 64-bit arithmetic: returns the offset of the first bad header, or -1 for a sound image.
 */
final class ImageChecker {
    private ImageChecker() {
    }

    static long firstBadHeader(byte[] image, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(image).order(order);
        long capacity = image.length;
        long offset = 0;
        while (offset + 4 < capacity) {
            long word = buffer.getInt((int) offset) & 0xFFFF_FFFFL;
            long size = word >>> 1;
            if (size % 4 != 0 || offset + 4 + size > capacity) {
                return offset;
            }
            offset += 4 + size;
        }
        return -1;
    }
}
