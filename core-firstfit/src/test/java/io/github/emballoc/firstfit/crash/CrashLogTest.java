package io.github.emballoc.firstfit.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kill test concludes from a log the child left: which blocks were live and what was in flight. */
class CrashLogTest {

    @TempDir
    Path dir;

    private CrashLog.State read(String text) throws IOException {
        Path file = dir.resolve("log");
        Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
        return CrashLog.read(file);
    }

    @Test
    void aFreeWithoutItsDoneRecordIsInFlight() throws IOException {
        CrashLog.State state = read("A 8 20 1f\nA 40 4 2e\nF 8\n");
        assertEquals(8, state.inFlight().block().handle());
        assertTrue(state.inFlight().isFree());
        assertEquals(20, state.inFlight().intact());
        assertEquals(1, state.live().size());
    }

    @Test
    void aCompletedFreeIsNotInFlightEvenWhenTheNextAllocationIsUnreported() throws IOException {
        // the free returned, then an allocation (possibly inside the freed bytes) was cut off before its record
        CrashLog.State state = read("A 8 20 1f\nF 8\nD 8\nA 40 4");
        assertNull(state.inFlight());
        assertTrue(state.live().isEmpty());
    }

    @Test
    void aMovedBlockIsLiveWithItsKeptBytesUntilItsAllocationRecordReplacesIt() throws IOException {
        CrashLog.State moved = read("A 8 20 1f\nR 8 12 3c\nM 8 64\n");
        assertNull(moved.inFlight());
        assertEquals(new CrashLog.Block(64, 12, 0x3c), moved.live().get(64));
        CrashLog.State written = read("A 8 20 1f\nR 8 40 3c\nM 8 64\nA 64 40 4d\n");
        assertEquals(new CrashLog.Block(64, 40, 0x4d), written.live().get(64));
        assertEquals(1, written.live().size());
    }

    @Test
    void recordsThatFollowNoMatchingOperationAreRefused() throws IOException {
        IllegalStateException done = assertThrows(IllegalStateException.class, () -> read("A 8 20 1f\nD 8\n"));
        assertTrue(done.getMessage().endsWith("record 2 (D 8) follows no free of 8"), done.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> read("A 8 20 1f\nA 64 4 2e\nA 64 4 2e\n"));
        assertTrue(twice.getMessage().contains("record 3 allocates 64, which is live"), twice.getMessage());
    }
}
