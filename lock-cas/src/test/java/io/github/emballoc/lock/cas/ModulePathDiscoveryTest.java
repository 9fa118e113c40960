package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.lock.singlecore.SingleCoreCriticalSection;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery on the module path, where only {@code provides} in module-info counts ({@code META-INF/services}
 * of a named module is ignored). The tests run on the class path, so each case launches a child JVM with
 * {@code --module-path} holding the api, the lock modules (their {@code target/classes} or jars, wherever this
 * JVM loaded them from), slf4j-api, and a small probe module compiled here that {@code requires} only
 * {@code io.github.emballoc.api}: the locks are in the module graph only because service binding resolved them
 * through their {@code provides} clauses.
 */
class ModulePathDiscoveryTest {

    private static final String PROBE_MODULE = """
            module emballoc.probe {
                requires io.github.emballoc.api;
            }
            """;

    /** Prints one {@code key=value} line per observation. */
    private static final String PROBE = """
            package emballoc.probe;

            import io.github.emballoc.api.CriticalSection;
            import io.github.emballoc.api.CriticalSectionProvider;
            import io.github.emballoc.api.CriticalSections;
            import java.util.StringJoiner;

            public final class Probe {
                private static int counter;

                public static void main(String[] args) {
                    System.out.println("probe-module=" + Probe.class.getModule().getName());
                    StringJoiner available = new StringJoiner(";");
                    for (CriticalSectionProvider p : CriticalSections.available()) {
                        available.add(p.name() + "," + p.priority() + "," + p.getClass().getName() + ","
                                + p.getClass().getModule().getName());
                    }
                    System.out.println("available=" + available);
                    report("default");
                    System.setProperty(CriticalSections.PROPERTY, "single-core");
                    report("named-single-core");
                    System.setProperty(CriticalSections.PROPERTY, "cas");
                    report("named-cas");
                    System.setProperty(CriticalSections.PROPERTY, "no-such-lock");
                    report("named-unknown");
                }

                private static void report(String label) {
                    String line;
                    try {
                        CriticalSections.Selection selection = CriticalSections.select();
                        CriticalSection section = selection.chosen().create();
                        int before = counter;
                        section.run(() -> counter++);
                        line = selection.chosen().name() + "," + selection.reason() + ","
                                + section.getClass().getName() + "," + (counter - before);
                    } catch (IllegalStateException e) {
                        line = "IllegalStateException: " + e.getMessage();
                    }
                    System.out.println(label + "=" + line);
                }
            }
            """;

    @TempDir
    static Path work;

    private static Path probe;

    @BeforeAll
    static void compileProbe() throws IOException {
        Path src = work.resolve("probe-src");
        Files.createDirectories(src.resolve("emballoc/probe"));
        Files.writeString(src.resolve("module-info.java"), PROBE_MODULE);
        Files.writeString(src.resolve("emballoc/probe/Probe.java"), PROBE);
        probe = work.resolve("probe-classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools), not a JRE");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-d", probe.toString(),
                        "--module-path", modulePath(location(CriticalSection.class), location(org.slf4j.Logger.class))),
                null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(
                        src.resolve("module-info.java"), src.resolve("emballoc/probe/Probe.java")))
                .call();
        assertTrue(compiled, () -> "the probe module did not compile:\n" + diagnostics);
    }

    @Test
    void bothLocksAreFoundThroughProvidesAndChosenByPriorityOrByName() throws Exception {
        Map<String, String> seen = runProbe(location(CriticalSection.class), location(org.slf4j.Logger.class),
                location(CasSpinLock.class), location(SingleCoreCriticalSection.class));

        assertEquals("emballoc.probe", seen.get("probe-module"), seen::toString);
        assertEquals("cas,100,io.github.emballoc.lock.cas.CasProvider,io.github.emballoc.lock.cas;"
                        + "single-core,0,io.github.emballoc.lock.singlecore.SingleCoreProvider,"
                        + "io.github.emballoc.lock.singlecore",
                seen.get("available"), seen::toString);
        assertEquals("cas,PRIORITY,io.github.emballoc.lock.cas.CasSpinLock,1", seen.get("default"), seen::toString);
        assertEquals("single-core,PROPERTY,io.github.emballoc.lock.singlecore.SingleCoreCriticalSection,1",
                seen.get("named-single-core"), seen::toString);
        assertEquals("cas,PROPERTY,io.github.emballoc.lock.cas.CasSpinLock,1", seen.get("named-cas"), seen::toString);
        assertEquals("IllegalStateException: system property emballoc.critical-section names the critical section"
                        + " 'no-such-lock', but the providers available are: cas, single-core",
                seen.get("named-unknown"), seen::toString);
    }

    @Test
    void withNoLockModuleTheErrorNamesBothArtifacts() throws Exception {
        Map<String, String> seen = runProbe(location(CriticalSection.class), location(org.slf4j.Logger.class));

        assertEquals("", seen.get("available"), seen::toString);
        String error = seen.get("default");
        assertTrue(error.startsWith("IllegalStateException: no io.github.emballoc.api.CriticalSectionProvider found"),
                error);
        assertTrue(error.contains("io.github.emballoc:emballoc-lock-cas"), error);
        assertTrue(error.contains("io.github.emballoc:emballoc-lock-single-core"), error);
        assertEquals("IllegalStateException: system property emballoc.critical-section names the critical section"
                + " 'no-such-lock', but no provider is available", seen.get("named-unknown"), seen::toString);
    }

    @Test
    void readingTheApiDoesNotMakeAModuleReadSlf4j() throws IOException {
        // No SLF4J type is part of the API, so a module that requires only the API must not get org.slf4j
        // with it (it did while the API said 'requires transitive org.slf4j').
        Path src = work.resolve("leak-src");
        Files.createDirectories(src.resolve("emballoc/leak"));
        Files.writeString(src.resolve("module-info.java"), "module emballoc.leak {\n"
                + "    requires io.github.emballoc.api;\n}\n");
        Files.writeString(src.resolve("emballoc/leak/Leak.java"), "package emballoc.leak;\n\n"
                + "public final class Leak {\n"
                + "    public static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Leak.class);\n"
                + "}\n");
        StringWriter diagnostics = new StringWriter();
        boolean compiled = ToolProvider.getSystemJavaCompiler().getTask(diagnostics, null, null,
                List.of("--release", "17", "-d", work.resolve("leak-classes").toString(),
                        "--module-path", modulePath(location(CriticalSection.class), location(org.slf4j.Logger.class))),
                null,
                ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(src.resolve("module-info.java"), src.resolve("emballoc/leak/Leak.java")))
                .call();

        assertFalse(compiled, "a module requiring only io.github.emballoc.api compiled against org.slf4j");
        assertTrue(diagnostics.toString().contains("package org.slf4j is declared in module org.slf4j, but module"
                + " emballoc.leak does not read it"), diagnostics::toString);
    }

    /** Runs the probe on a module path of {@code modules} plus the probe, and returns its key=value lines. */
    private static Map<String, String> runProbe(Path... modules) throws IOException, InterruptedException {
        List<Path> path = new ArrayList<>(List.of(modules));
        path.add(probe);
        Path out = Files.createTempFile(work, "probe", ".out");
        Path err = Files.createTempFile(work, "probe", ".err");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--module-path", modulePath(path.toArray(new Path[0])),
                "--module", "emballoc.probe/emballoc.probe.Probe");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish within 60 s: " + command);
        }
        String stdout = Files.readString(out);
        String report = "command: " + command + "\nexit: " + process.exitValue() + "\nstdout:\n" + stdout
                + "stderr:\n" + Files.readString(err);
        assertEquals(0, process.exitValue(), report);
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertTrue(seen.containsKey("named-unknown"), report);
        return seen;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type, e);
        }
    }

    private static String modulePath(Path... entries) {
        List<String> parts = new ArrayList<>();
        for (Path entry : entries) {
            parts.add(entry.toString());
        }
        return String.join(File.pathSeparator, parts);
    }
}
