package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.RawHeap;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/** Assertion helpers shared by the contracts. */
final class Checks {

    private Checks() {
    }

    /** Skips the calling test, naming the feature, unless {@code declared} contains it. */
    static <F extends Enum<F>> void assumeFeature(Set<F> declared, F feature, String what) {
        Assumptions.assumeTrue(declared != null && declared.contains(feature),
                () -> "skipped: the implementation does not declare " + feature.getDeclaringClass().getSimpleName()
                        + "." + feature.name() + " (" + what + "); override features() to declare it");
    }

    /** Copies every byte of {@code heap} through its bulk read. */
    static byte[] snapshot(RawHeap heap) {
        byte[] bytes = new byte[heap.capacity()];
        heap.getBytes(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Copies every byte of {@code heap} one {@code getByte} at a time (independent of the bulk read). */
    static byte[] snapshotBytewise(RawHeap heap) {
        byte[] bytes = new byte[heap.capacity()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = heap.getByte(i);
        }
        return bytes;
    }

    /** Fails naming the first differing offset when {@code actual} differs from {@code expected}. */
    static void assertSameBytes(byte[] expected, byte[] actual, String context) {
        if (expected.length != actual.length) {
            fail(context + ": the heap is " + actual.length + " bytes long, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(context + ": byte at offset " + i + " is " + hex(actual[i]) + ", expected " + hex(expected[i])
                        + " (the heap was changed)");
            }
        }
    }

    static String hex(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }

    static boolean isPowerOfTwo(int value) {
        return value > 0 && (value & (value - 1)) == 0;
    }
}
