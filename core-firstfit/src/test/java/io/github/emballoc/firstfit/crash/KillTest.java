package io.github.emballoc.firstfit.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapFileLockedException;
import io.github.emballoc.api.MappedHeap;
import io.github.emballoc.api.RawHeaps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: a child JVM ({@link CrashChild}) runs random operations on a mapped heap and is killed with
 * {@link Process#destroyForcibly()} ({@code SIGKILL}) at a random moment, again and again on the same file.
 * After each kill this JVM maps the file, attaches a new allocator (which checks the image), verifies it, and
 * checks against the child's {@link CrashLog} that every block the child had reported live is still a used
 * entry, each in an entry of its own, with its payload intact. The block of the operation in flight may be
 * lost or kept, as the write order allows (a kept block keeps its payload, or for a reallocation the bytes
 * up to the smaller size). Then it frees the blocks the child had not reported yet (allocated just before the
 * kill) and the in-flight block, rewrites the log with the live blocks, closes the heap, and starts the next
 * child on the file.
 *
 * <p>Half the children force nothing (what a process kill leaves needs no {@code force()}); the other half use
 * the durable protocol ({@link io.github.emballoc.api.DurableAllocator}, forced payloads and log). Each child
 * draws a fit and a coalescing mode. While the first child holds the file, a second child and this JVM try to
 * map it and must be refused, with the file named.
 *
 * <p>Subclasses name the allocator ({@link #allocatorClass()}); the child builds it by reflection, so the same
 * test runs any strategy that has {@code builder(RawHeap)} with {@code fit}, {@code coalescing} and
 * {@code build}. {@code -Demballoc.kill.count=N} kills N times (default 30); {@code -Demballoc.kill.seed=S}
 * repeats one run (the seed is printed).
 */
public abstract class KillTest {

    /** The system property that sets how many times the child is killed. */
    public static final String COUNT_PROPERTY = "emballoc.kill.count";
    /** The system property that sets the seed of a run. */
    public static final String SEED_PROPERTY = "emballoc.kill.seed";

    private static final int CAPACITY = 32 * 1024;

    @TempDir
    Path dir;

    /**
     * Names the allocator the children build.
     *
     * @return a class with a static {@code builder(RawHeap)}
     */
    protected abstract String allocatorClass();

    /** The figures of one run, printed at the end. */
    private int kills;
    private int reattaches;
    private int blocksChecked;
    private int inFlightKept;
    private int inFlightLost;
    private int unreportedFreed;
    private int records;

    @Test
    void killedChildrenNeverLoseALiveBlock() throws Exception {
        int count = Integer.getInteger(COUNT_PROPERTY, 30);
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        String run = allocatorClass() + " with seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + ")";
        SplittableRandom random = new SplittableRandom(seed);
        Path heapFile = dir.resolve("crash.heap");
        Path logFile = dir.resolve("crash.log");
        long started = System.nanoTime();
        try {
            for (int round = 0; round < count; round++) {
                Fit fit = Fit.values()[random.nextInt(Fit.values().length)];
                Coalescing coalescing = Coalescing.values()[random.nextInt(Coalescing.values().length)];
                boolean durable = round % 2 == 1;
                String what = run + ", round " + round + " (" + fit + ", " + coalescing + (durable ? ", durable" : "")
                        + ")";
                Process child = start(List.of("run", heapFile.toString(), logFile.toString(), Integer.toString(CAPACITY),
                        Long.toString(random.nextLong()), allocatorClass(), fit.name(), coalescing.name(),
                        Boolean.toString(durable)), dir.resolve("child-" + round + ".err"));
                try {
                    awaitReady(child, dir.resolve("child-" + round + ".err"), what);
                    if (round == 0) {
                        Thread.sleep(100);
                        assertTrue(child.isAlive(), what + ": the child died on its own; its errors: "
                                + Files.readString(dir.resolve("child-" + round + ".err")));
                        checkASecondOpenerIsRefused(heapFile);
                    }
                    HeapFileLockedException e = org.junit.jupiter.api.Assertions.assertThrows(
                            HeapFileLockedException.class, () -> RawHeaps.map(heapFile, CAPACITY), what);
                    assertEquals(heapFile.toString(), e.getFile(), what);
                    Thread.sleep(10 + random.nextInt(250));
                    assertTrue(child.isAlive(), what + ": the child died on its own; its errors: "
                            + Files.readString(dir.resolve("child-" + round + ".err")));
                } finally {
                    child.destroyForcibly();
                }
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), what + ": the killed child did not end");
                kills++;
                reattachAndCheck(heapFile, logFile, fit, coalescing, what);
            }
        } finally {
            System.out.printf("kill test of %s: %d kills, %d reattaches, %d live blocks checked, in-flight blocks"
                            + " %d kept and %d lost, %d unreported blocks freed, %d log records, %.1f s%n", run, kills,
                    reattaches, blocksChecked, inFlightKept, inFlightLost, unreportedFreed, records,
                    (System.nanoTime() - started) / 1e9);
        }
        assertEquals(count, reattaches);
    }

    private Process start(List<String> arguments, Path errors) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }

    private static void awaitReady(Process child, Path errors, String what) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (!"ready".equals(line)) {
            child.destroyForcibly();
            fail(what + ": the child did not start: " + line + "; its errors: " + Files.readString(errors));
        }
    }

    /** A second process that maps the file while the child holds it is refused, naming the file. */
    private void checkASecondOpenerIsRefused(Path heapFile) throws Exception {
        Process probe = start(List.of("probe", heapFile.toString(), Integer.toString(CAPACITY)), dir.resolve("probe.err"));
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe did not end");
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals("refused: " + heapFile + ": locked by another process that has it open as a heap"
                + " (RawHeaps.mapReadOnly reads the file beside that process)", output,
                "the probe's errors: " + Files.readString(dir.resolve("probe.err")));
    }

    /** Attaches to the file the killed child left, checks it against the log, tidies it and closes it. */
    private void reattachAndCheck(Path heapFile, Path logFile, Fit fit, Coalescing coalescing, String what)
            throws Exception {
        CrashLog.State state = CrashLog.read(logFile);
        records += state.records();
        try (MappedHeap heap = RawHeaps.map(heapFile, CAPACITY)) {
            Allocator allocator = CrashChild.build(allocatorClass(), heap, fit, coalescing); // checks the image
            allocator.verify();
            reattaches++;
            TreeMap<Integer, int[]> used = new TreeMap<>(); // payload offset -> {header offset, payload end}
            allocator.walk((offset, isUsed, size) -> {
                if (isUsed) {
                    used.put(offset + 4, new int[] {offset, offset + 4 + size});
                }
            });
            List<Integer> reported = new ArrayList<>();
            for (CrashLog.Block block : state.live().values()) {
                Map.Entry<Integer, int[]> entry = used.floorEntry(block.handle());
                assertTrue(entry != null && block.handle() + block.size() <= entry.getValue()[1]
                                && block.handle() < entry.getValue()[1],
                        what + ": live block " + block + " is not inside a used entry after the kill");
                assertFalse(reported.contains(entry.getKey()), what + ": live block " + block
                        + " shares its entry at " + entry.getValue()[0] + " with another live block");
                reported.add(entry.getKey());
                byte[] payload = new byte[block.size()];
                heap.getBytes(block.handle(), payload, 0, payload.length);
                assertEquals(block.crc(), CrashLog.crc(payload), what + ": the payload of live block " + block
                        + " changed");
                blocksChecked++;
            }
            CrashLog.InFlight inFlight = state.inFlight();
            if (inFlight != null) {
                checkInFlight(heap, used, inFlight, what);
            }
            for (Map.Entry<Integer, int[]> entry : used.entrySet()) {
                if (!reported.contains(entry.getKey())) {
                    allocator.free(entry.getKey()); // allocated before the kill, not reported yet (or in flight)
                    unreportedFreed++;
                }
            }
            allocator.verify();
            CrashLog.rewrite(logFile, state.live().values());
        }
    }

    private void checkInFlight(MappedHeap heap, TreeMap<Integer, int[]> used, CrashLog.InFlight inFlight,
            String what) {
        CrashLog.Block block = inFlight.block();
        Map.Entry<Integer, int[]> entry = used.floorEntry(block.handle());
        boolean kept = entry != null && block.handle() < entry.getValue()[1];
        if (!kept) {
            inFlightLost++;
            return;
        }
        inFlightKept++;
        int intact = inFlight.intact();
        assertTrue(block.handle() + intact <= entry.getValue()[1], what + ": the block in flight " + inFlight
                + " was kept in an entry too small for it");
        byte[] payload = new byte[intact];
        heap.getBytes(block.handle(), payload, 0, intact);
        assertEquals(inFlight.intactCrc(), CrashLog.crc(payload), what + ": the kept block in flight " + inFlight
                + " lost bytes it had before the operation");
    }
}
