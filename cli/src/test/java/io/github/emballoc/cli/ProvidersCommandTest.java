package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@ResourceLock(Resources.SYSTEM_PROPERTIES)
class ProvidersCommandTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(CriticalSections.PROPERTY);
    }

    @Test
    void listsBothLocksAndChoosesByPriority() {
        Cli.Result result = Cli.run("providers");
        assertEquals(0, result.status, result::toString);
        assertTrue(result.out.contains("  NAME         PRIORITY  CLASS\n"
                + "* cas               100  io.github.emballoc.lock.cas.CasProvider\n"
                + "  single-core         0  io.github.emballoc.lock.singlecore.SingleCoreProvider\n"), result::toString);
        assertTrue(result.out.contains("chosen: cas, the highest priority (100; ties go to the name first in"
                + " alphabetical order)\n"), result::toString);
    }

    @Test
    void systemPropertyNamesTheChoice() {
        System.setProperty(CriticalSections.PROPERTY, "single-core");
        Cli.Result result = Cli.run("providers");
        assertEquals(0, result.status, result::toString);
        assertTrue(result.out.contains("* single-core         0  "), result::toString);
        assertTrue(result.out.contains("chosen: single-core, named by the system property emballoc.critical-section\n"),
                result::toString);
    }

    @Test
    void unknownNameIsAUsageErrorThatListsTheProviders() {
        System.setProperty(CriticalSections.PROPERTY, "spinning-rust");
        Cli.Result result = Cli.run("providers");
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: system property emballoc.critical-section names the critical"
                + " section 'spinning-rust', but the providers available are: cas, single-core"), result::toString);
        Cli.Result replay = Cli.run("demo");
        assertEquals(2, replay.status, replay::toString);
    }

    @TempDir
    Path work;

    @Test
    void aProviderBuiltAgainstAnotherApiIsListedAsSkippedWithItsCause() throws IOException {
        Cli.Result result = withProviders(List.of(BrokenProviders.NameMissing.class), () -> Cli.run("providers"));

        assertEquals(0, result.status, result::toString);
        assertTrue(result.out.contains("* cas               100  io.github.emballoc.lock.cas.CasProvider\n"),
                result::toString);
        assertTrue(result.out.contains("skipped: " + BrokenProviders.NameMissing.class.getName() + " (name() or"
                + " priority() threw java.lang.AbstractMethodError: " + BrokenProviders.NameMissing.WHY + ")\n"),
                result::toString);
    }

    @Test
    void aSkippedProviderIsNamedInTheErrorItsAbsenceCauses() throws IOException {
        System.setProperty(CriticalSections.PROPERTY, "broken");

        Cli.Result result = withProviders(List.of(BrokenProviders.ConstructorThrows.class),
                () -> Cli.run("providers"));

        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: system property emballoc.critical-section names the critical"
                + " section 'broken', but the providers available are: cas, single-core (skipped: a provider that"
                + " failed to load: "), result::toString);
        assertTrue(result.err.contains(BrokenProviders.ConstructorThrows.class.getName())
                && result.err.contains(BrokenProviders.ConstructorThrows.WHY), result::toString);
    }

    @Test
    void anErrorOutOfALibraryIsAnInternalErrorOfOneLineWithStatus3() throws IOException {
        // An Error (here an AssertionError from a provider's priority()) is a bug: status 3 and one line,
        // not a stack trace and the JVM's status 1, which the command uses for a corrupt heap image.
        Cli.Result result = withProviders(List.of(BrokenProviders.PriorityAsserts.class),
                () -> Cli.run("providers"));
        Cli.Result debug = withProviders(List.of(BrokenProviders.PriorityAsserts.class),
                () -> Cli.run("--debug", "providers"));

        assertEquals(3, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertEquals("emballoc: internal error: java.lang.AssertionError: " + BrokenProviders.PriorityAsserts.WHY
                + " (run again with --debug for the stack trace)\n", result.err, result::toString);
        assertEquals(3, debug.status, debug::toString);
        assertTrue(debug.err.startsWith("emballoc: internal error: java.lang.AssertionError: "
                + BrokenProviders.PriorityAsserts.WHY + "\njava.lang.AssertionError: "), debug::toString);
        assertTrue(debug.err.contains("at " + BrokenProviders.PriorityAsserts.class.getName() + ".priority("),
                debug::toString);
    }

    /** Runs {@code action} with a context class loader that also lists {@code providers} as services. */
    private <T> T withProviders(List<Class<? extends CriticalSectionProvider>> providers, Supplier<T> action)
            throws IOException {
        Path file = work.resolve("META-INF/services/" + CriticalSectionProvider.class.getName());
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (Class<?> provider : providers) {
            lines.append(provider.getName()).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()},
                ProvidersCommandTest.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            return action.get();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }
}
