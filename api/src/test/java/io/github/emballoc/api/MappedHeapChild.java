package io.github.emballoc.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second process for {@link MappedHeapTest}: maps a heap file and reports on standard output what happened.
 * <ul>
 *   <li>{@code hold FILE CAPACITY}: maps the file, writes {@code 0x5A5A5A5A} at offset 0, prints
 *       {@code held}, and keeps it open until standard input closes (or the process is killed).</li>
 *   <li>{@code probe FILE CAPACITY}: tries to map the file and prints {@code opened}, or {@code locked: } and
 *       the exception's message, or {@code failed: } and any other exception.</li>
 *   <li>{@code race FILE CAPACITY}: prints {@code ready}, waits until {@code FILE.go} exists (so that racing
 *       processes start within a millisecond of each other), then as {@code probe}, but keeps a heap it opened
 *       for 300 ms before closing it, so that the racers overlap.</li>
 * </ul>
 */
final class MappedHeapChild {

    private MappedHeapChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args[1]);
        int capacity = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "hold" -> {
                try (MappedHeap heap = RawHeaps.map(file, capacity)) {
                    heap.putInt(0, 0x5A5A5A5A);
                    System.out.println("held");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // wait for the parent to close our standard input
                    }
                }
            }
            case "probe" -> System.out.println(probe(file, capacity, 0));
            case "race" -> {
                System.out.println("ready");
                System.out.flush();
                Path go = Paths.get(file + ".go");
                while (!Files.exists(go)) {
                    Thread.onSpinWait();
                }
                System.out.println(probe(file, capacity, 300));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static String probe(Path file, int capacity, long holdMillis) throws InterruptedException {
        try (MappedHeap heap = RawHeaps.map(file, capacity)) {
            Thread.sleep(holdMillis);
            return "opened " + heap.capacity();
        } catch (HeapFileLockedException locked) {
            return "locked: " + locked.getMessage();
        } catch (IOException | RuntimeException other) {
            return "failed: " + other;
        }
    }

    /** Starts this class in a new JVM with the test class path. */
    static Process start(String mode, Path file, int capacity) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // racers log at debug level: the log says when one lost the creation race
        String level = mode.equals("race") ? "debug" : "info";
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx32m", "-Dorg.slf4j.simpleLogger.log.io.github.emballoc.api.MappedHeap=" + level, "-cp", System.getProperty("java.class.path"), MappedHeapChild.class.getName(), mode,
                file.toString(), Integer.toString(capacity)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Runs {@code mode} in a new JVM and returns its one line of output. */
    static String run(String mode, Path file, int capacity) throws IOException, InterruptedException {
        Process child = start(mode, file, capacity);
        child.getOutputStream().close();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes()).strip();
        if (!exited || child.exitValue() != 0) {
            throw new AssertionError("child " + mode + " failed (exited: " + exited + "): " + output);
        }
        return output;
    }
}
