package io.github.emballoc.api.debug;

import io.github.emballoc.api.Allocator;
import java.util.Objects;

/**
 * A byte a {@link PoisoningAllocator} found changed where nobody may write: in a freed payload (a write
 * after free) or in the guard bytes after a block's requested size (an overrun).
 *
 * @param kind what was written where
 * @param offset the offset of the first changed byte of the freed range or guard found changed
 * @param blockHandle the handle of the block the byte belonged to (the block freed there, or the block
 *     overrun), or {@link Allocator#NULL} for free space that held no block since poisoning began
 * @param blockSize the size that block was requested with (for free space never allocated: the free bytes
 *     of the range)
 * @param expected the pattern byte that should be there
 * @param found the byte that is there
 * @param foundBy the call that found it, for example {@code allocate(16, 1)} or {@code verify()}
 */
public record PoisonViolation(Kind kind, int offset, int blockHandle, int blockSize, byte expected, byte found,
                              String foundBy) {

    /** What was written where. */
    public enum Kind {
        /** A byte of a freed payload changed after the free. */
        WRITE_AFTER_FREE,
        /** A guard byte after a live block's requested size changed: the block was overrun. */
        OVERRUN
    }

    /**
     * Checks the parts.
     *
     * @param kind what was written where
     * @param offset the offset of the first changed byte
     * @param blockHandle the handle of the block it belonged to, or {@link Allocator#NULL}
     * @param blockSize that block's requested size
     * @param expected the pattern byte
     * @param found the byte found
     * @param foundBy the call that found it
     * @throws NullPointerException if {@code kind} or {@code foundBy} is {@code null}
     */
    public PoisonViolation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(foundBy, "foundBy");
    }

    /**
     * Describes the violation in one sentence, naming the offset, the byte, the block and the call.
     *
     * @return for example {@code write after free at offset 120 (byte 0x41, expected 0xdd): 8 bytes into the
     *     block at 112 (24 bytes), freed earlier; found by allocate(16, 1)}
     */
    public String describe() {
        String bytes = " (byte 0x" + hex(found) + ", expected 0x" + hex(expected) + "): ";
        if (kind == Kind.OVERRUN) {
            return "overrun at offset " + offset + bytes + (offset - blockHandle - blockSize)
                    + " bytes past the end of the block at " + blockHandle + " (" + blockSize
                    + " bytes requested); found by " + foundBy;
        }
        if (blockHandle == Allocator.NULL) {
            return "write after free at offset " + offset + bytes + "in free space no block has held since"
                    + " poisoning began; found by " + foundBy;
        }
        String where = offset >= blockHandle ? (offset - blockHandle) + " bytes into" : (blockHandle - offset)
                + " bytes before";
        return "write after free at offset " + offset + bytes + where + " the block at " + blockHandle + " ("
                + blockSize + " bytes), freed earlier; found by " + foundBy;
    }

    private static String hex(byte value) {
        return String.format("%02x", value & 0xff);
    }
}
