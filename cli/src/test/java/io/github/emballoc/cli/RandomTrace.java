package io.github.emballoc.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a seeded random trace on a 1 MiB heap: between 1,000 and 2,000 blocks live (allocations of 1 to 767
 * bytes, alignments 1 to 16), allocated and freed at random; the workload of {@link LargeTraceTest} and of
 * the {@code size} timing. Runnable, to make a trace for measuring by hand:
 *
 * <pre>
 * mvn -q -pl cli -am test-compile
 * java -cp cli/target/test-classes io.github.emballoc.cli.RandomTrace 100000 20240601 /tmp/t100k.trace
 * time ./emballoc size --strategy indexed /tmp/t100k.trace
 * </pre>
 */
final class RandomTrace {

    /** The heap line of the traces written. */
    static final int HEAP = 1 << 20;

    private RandomTrace() {
    }

    /** Writes {@code operations} operations made from {@code seed} to {@code file}. */
    static void write(Path file, int operations, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int[] live = new int[operations];
        int liveCount = 0;
        int nextId = 0;
        int[] alignments = {1, 4, 8, 16};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# seed " + seed + "\nheap " + HEAP + "\n");
            for (int i = 0; i < operations; i++) {
                boolean allocate = liveCount == 0
                        || (liveCount < 2000 && random.nextInt(liveCount < 1000 ? 3 : 2) != 0);
                if (allocate) {
                    int id = nextId++;
                    live[liveCount++] = id;
                    out.write("a b" + id + " " + (1 + random.nextInt(767)) + " " + alignments[random.nextInt(4)]
                            + "\n");
                } else {
                    int pick = random.nextInt(liveCount);
                    out.write("f b" + live[pick] + "\n");
                    live[pick] = live[--liveCount];
                }
            }
        }
    }

    /**
     * Writes a trace: {@code RandomTrace OPERATIONS SEED FILE}.
     *
     * @param args the number of operations, the seed and the file
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RandomTrace OPERATIONS SEED FILE");
            System.exit(2);
        }
        write(Path.of(args[2]), Integer.parseInt(args[0]), Long.parseLong(args[1]));
    }
}
