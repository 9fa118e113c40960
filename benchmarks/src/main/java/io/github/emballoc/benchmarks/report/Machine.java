package io.github.emballoc.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Describes the machine the tables are made on: processor model (from {@code /proc/cpuinfo} where there is
 * one), the processors the JVM sees, the memory ({@code /proc/meminfo}), and the operating system.
 *
 * <p>Stateless; any thread.
 */
final class Machine {

    private Machine() {
    }

    /**
     * Returns one line describing this machine.
     *
     * @return for example {@code Intel(R) Xeon(R) ..., 2 processors, 23.4 GiB, Linux 6.1 amd64}
     */
    static String describe() {
        String cpu = field(Path.of("/proc/cpuinfo"), "model name");
        String memory = field(Path.of("/proc/meminfo"), "MemTotal");
        StringBuilder out = new StringBuilder();
        out.append(cpu == null ? System.getProperty("os.arch") : cpu);
        out.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" processors");
        if (memory != null && memory.endsWith(" kB")) {
            long kib = Long.parseLong(memory.substring(0, memory.length() - 3).trim());
            out.append(String.format(Locale.ROOT, ", %.1f GiB", kib / (1024.0 * 1024.0)));
        }
        out.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch"));
        return out.toString();
    }

    /** The value of the first {@code name: value} line of a file, or null. */
    private static String field(Path file, String name) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return null;
    }
}
