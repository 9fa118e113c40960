package io.github.emballoc.benchmarks.subject;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The heaps this project's allocators are benchmarked over, by the name a benchmark's {@code heap} parameter
 * gives: {@code array} ({@link RawHeaps#allocate(int)}), {@code direct} ({@link RawHeaps#allocateDirect(int)})
 * and {@code mapped} ({@link RawHeaps#map(Path, int)} of a new temporary file, deleted again on close). A new
 * kind of heap is one more case in {@link #open(String, int)} and one more name in {@link #KINDS}.
 *
 * <p>Stateless; any thread.
 */
public final class Heaps {

    /** Every kind {@link #open(String, int)} knows, in the order the tables list them. */
    public static final List<String> KINDS = List.of("array", "direct", "mapped");

    private Heaps() {
    }

    /**
     * A zeroed heap and what must happen when it is no longer used.
     *
     * @param heap the heap
     * @param file the temporary file behind a mapped heap, or {@code null}
     */
    public record Opened(RawHeap heap, Path file) implements AutoCloseable {

        /** Closes a heap that holds resources (a mapped file's lock) and deletes the temporary file. */
        @Override
        public void close() {
            try {
                if (heap instanceof AutoCloseable) {
                    ((AutoCloseable) heap).close();
                }
                if (file != null) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the mapped heap's file " + file, e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot close " + heap, e);
            }
        }
    }

    /**
     * Opens a zeroed heap of the given kind.
     *
     * @param kind one of {@link #KINDS}
     * @param capacity the heap's size in bytes
     * @return the heap
     * @throws IllegalArgumentException if {@code kind} is not one of {@link #KINDS} (the message lists them)
     * @throws UncheckedIOException if a mapped heap's file cannot be made
     */
    public static Opened open(String kind, int capacity) {
        switch (kind) {
            case "array":
                return new Opened(RawHeaps.allocate(capacity), null);
            case "direct":
                return new Opened(RawHeaps.allocateDirect(capacity), null);
            case "mapped":
                return mapped(capacity);
            default:
                throw new IllegalArgumentException("unknown heap kind '" + kind + "'; known: " + KINDS);
        }
    }

    private static Opened mapped(int capacity) {
        Path file = null;
        try {
            file = Files.createTempFile("emballoc-bench-", ".heap");
            Files.delete(file); // map() creates it at the right size, zero-filled
            return new Opened(RawHeaps.map(file, capacity), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map a " + capacity + "-byte heap at " + file, e);
        }
    }
}
