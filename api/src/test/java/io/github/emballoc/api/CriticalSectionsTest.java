package io.github.emballoc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSections.Reason;
import io.github.emballoc.api.CriticalSections.Selection;
import io.github.emballoc.api.SelectionTestProviders.Alpha;
import io.github.emballoc.api.SelectionTestProviders.Beta;
import io.github.emballoc.api.SelectionTestProviders.BlankName;
import io.github.emballoc.api.SelectionTestProviders.Bottom;
import io.github.emballoc.api.SelectionTestProviders.ConstructorThrows;
import io.github.emballoc.api.SelectionTestProviders.CreateThrows;
import io.github.emballoc.api.SelectionTestProviders.CreatesNull;
import io.github.emballoc.api.SelectionTestProviders.Fixed;
import io.github.emballoc.api.SelectionTestProviders.Gamma;
import io.github.emballoc.api.SelectionTestProviders.MarkerSection;
import io.github.emballoc.api.SelectionTestProviders.NameLinkageError;
import io.github.emballoc.api.SelectionTestProviders.NameThrows;
import io.github.emballoc.api.SelectionTestProviders.PriorityLinkageError;
import io.github.emballoc.api.SelectionTestProviders.Top;
import io.github.emballoc.api.SelectionTestProviders.TwinOne;
import io.github.emballoc.api.SelectionTestProviders.TwinTwo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection rules of {@link CriticalSections}, on the class path: through {@link
 * CriticalSections#select(Iterable, String)} with lists in chosen orders, and end to end through
 * {@link ServiceLoader}, the thread context class loader and the system property, with
 * {@code META-INF/services} files written for each test. (Discovery on the module path, through
 * {@code provides}, is tested by {@code ModulePathDiscoveryTest} in {@code lock-cas}, which has the lock
 * modules to put there.)
 */
class CriticalSectionsTest {

    private static final String SERVICE_FILE = "META-INF/services/" + CriticalSectionProvider.class.getName();

    @TempDir
    Path work;

    private String savedProperty;
    private ClassLoader savedContextLoader;
    private final List<URLClassLoader> loaders = new ArrayList<>();
    private int nextDir;

    @BeforeEach
    void save() {
        savedProperty = System.getProperty(CriticalSections.PROPERTY);
        System.clearProperty(CriticalSections.PROPERTY);
        savedContextLoader = Thread.currentThread().getContextClassLoader();
    }

    @AfterEach
    void restore() throws IOException {
        Thread.currentThread().setContextClassLoader(savedContextLoader);
        if (savedProperty == null) {
            System.clearProperty(CriticalSections.PROPERTY);
        } else {
            System.setProperty(CriticalSections.PROPERTY, savedProperty);
        }
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
    }

    @Nested
    class TheSystemPropertyNamesOne {

        @Test
        void itIsChosenEvenOverAHigherPriority() {
            Selection selection = CriticalSections.select(List.of(new Top(), new Alpha(), new Bottom()), "bottom");

            assertEquals("bottom", selection.chosen().name());
            assertEquals(Reason.PROPERTY, selection.reason());
            assertEquals(List.of("top", "alpha", "bottom"), names(selection.available()));
            assertEquals(List.of(), selection.skipped());
        }

        @Test
        void blanksAroundTheNameAreIgnored() {
            assertEquals("alpha", CriticalSections.select(List.of(new Top(), new Alpha()), " \talpha ").chosen().name());
        }

        @Test
        void aBlankOrMissingNameMeansNoneIsNamed() {
            for (String none : new String[] {null, "", "   "}) {
                Selection selection = CriticalSections.select(List.of(new Alpha(), new Top()), none);

                assertEquals("top", selection.chosen().name(), "requested " + none);
                assertEquals(Reason.PRIORITY, selection.reason(), "requested " + none);
            }
        }

        @Test
        void anUnknownNameIsAnErrorListingTheAvailableNames() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CriticalSections.select(List.of(new Bottom(), new Alpha(), new Top()), "spin"));

            assertEquals("system property emballoc.critical-section names the critical section 'spin', but the"
                    + " providers available are: top, alpha, bottom", e.getMessage());
        }

        @Test
        void anUnknownNameWithNoProviderSaysNoneIsAvailable() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CriticalSections.select(List.of(), "cas"));

            assertEquals("system property emballoc.critical-section names the critical section 'cas', but no"
                    + " provider is available", e.getMessage());
        }

        @Test
        void endToEndThroughTheSystemPropertyAndServiceLoader() throws Exception {
            System.setProperty(CriticalSections.PROPERTY, "beta");

            Selection selection = withServices(List.of(List.of(Top.class, Alpha.class, Beta.class)),
                    CriticalSections::select);
            CriticalSection section = withServices(List.of(List.of(Top.class, Beta.class)),
                    CriticalSections::create);

            assertEquals("beta", selection.chosen().name());
            assertEquals(Beta.class, selection.chosen().getClass());
            assertEquals(Reason.PROPERTY, selection.reason());
            assertEquals(new MarkerSection("beta"), section);

            System.setProperty(CriticalSections.PROPERTY, "delta");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> withServices(List.of(List.of(Top.class, Alpha.class)), CriticalSections::chosen));
            assertEquals("system property emballoc.critical-section names the critical section 'delta', but the"
                    + " providers available are: top, alpha", e.getMessage());
        }
    }

    @Nested
    class OtherwiseTheHighestPriorityWins {

        @Test
        void theHighestPriorityIsChosen() {
            Selection selection = CriticalSections.select(List.of(new Bottom(), new Alpha(), new Top()), null);

            assertEquals("top", selection.chosen().name());
            assertEquals(Reason.PRIORITY, selection.reason());
            assertEquals(List.of("top", "alpha", "bottom"), names(selection.available()));
        }

        @Test
        void tiesAreBrokenByNameWhateverTheIterationOrder() {
            List<CriticalSectionProvider> providers =
                    List.of(new Gamma(), new Alpha(), new Beta(), new Bottom(), new Fixed("delta", 10));
            List<List<CriticalSectionProvider>> orders = permutations(providers);
            assertEquals(120, orders.size());

            for (List<CriticalSectionProvider> order : orders) {
                Selection selection = CriticalSections.select(order, null);

                assertEquals("alpha", selection.chosen().name(), () -> "iteration order " + order);
                assertEquals(List.of("alpha", "beta", "delta", "gamma", "bottom"), names(selection.available()),
                        () -> "iteration order " + order);
            }
        }

        @Test
        void classPathOrderDoesNotDecide() throws Exception {
            List<List<Class<?>>> forwards = List.of(List.of(Gamma.class, Beta.class), List.of(Alpha.class));
            List<List<Class<?>>> backwards = List.of(List.of(Alpha.class), List.of(Beta.class, Gamma.class));
            // The two class paths really do present the providers in different orders...
            List<String> seenForwards = withServices(forwards, CriticalSectionsTest::loadedOrder);
            List<String> seenBackwards = withServices(backwards, CriticalSectionsTest::loadedOrder);
            assertEquals(List.of("gamma", "beta", "alpha"), seenForwards);
            assertEquals(List.of("alpha", "beta", "gamma"), seenBackwards);

            // ...and the choice is the same.
            for (List<List<Class<?>>> classPath : List.of(forwards, backwards)) {
                Selection selection = withServices(classPath, CriticalSections::select);
                assertEquals(Alpha.class, selection.chosen().getClass(), classPath::toString);
                assertEquals(List.of("alpha", "beta", "gamma"), names(selection.available()), classPath::toString);
                assertEquals(List.of("alpha", "beta", "gamma"),
                        names(withServices(classPath, CriticalSections::available)), classPath::toString);
                assertEquals(new MarkerSection("alpha"), withServices(classPath, CriticalSections::create));
            }
        }

        @Test
        void theSameClassListedTwiceIsOneProviderNotADuplicate() throws Exception {
            // ServiceLoader itself ignores a class named again; that must not count as two providers named alike.
            Selection selection = withServices(List.of(List.of(Alpha.class, Beta.class), List.of(Alpha.class)),
                    CriticalSections::select);

            assertEquals(List.of("alpha", "beta"), names(selection.available()));
        }
    }

    @Nested
    class NoneFound {

        @Test
        void theErrorNamesBothArtifactsAndWhenToPickWhich() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CriticalSections.select(List.of(), null));

            assertEquals("no io.github.emballoc.api.CriticalSectionProvider found on the class path or module path."
                    + " Add io.github.emballoc:emballoc-lock-cas (a spin lock, for allocators shared between threads)"
                    + " or io.github.emballoc:emballoc-lock-single-core (no atomic instructions, for allocators used"
                    + " from one thread only)", e.getMessage());
        }

        @Test
        void endToEndThroughServiceLoaderWithNoProviderFile() throws Exception {
            List<List<Class<?>>> nothing = List.of();

            assertEquals(List.of(), withServices(nothing, CriticalSections::available));
            for (Callable<?> call : List.<Callable<?>>of(CriticalSections::select, CriticalSections::chosen,
                    CriticalSections::create)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> withServices(nothing, call));
                assertTrue(e.getMessage().contains("io.github.emballoc:emballoc-lock-cas"), e.getMessage());
                assertTrue(e.getMessage().contains("io.github.emballoc:emballoc-lock-single-core"), e.getMessage());
            }
        }

        @Test
        void whenTheOnlyProvidersFailedTheErrorSaysWhichAndWhy() throws Exception {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> quietly(() -> withServices(List.of(List.of(ConstructorThrows.class)), CriticalSections::select)));

            assertTrue(e.getMessage().startsWith("no io.github.emballoc.api.CriticalSectionProvider found on the"
                    + " class path or module path (skipped: "), e.getMessage());
            assertTrue(e.getMessage().contains(ConstructorThrows.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("io.github.emballoc:emballoc-lock-cas"), e.getMessage());
        }
    }

    @Nested
    class BrokenProvidersAreSkippedWithAWarning {

        @Test
        void aProviderWhoseConstructorThrows() throws Exception {
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] = withServices(
                    List.of(List.of(ConstructorThrows.class, Beta.class, Alpha.class)), CriticalSections::select));

            assertEquals("alpha", selection[0].chosen().name());
            assertEquals(List.of("alpha", "beta"), names(selection[0].available()));
            assertEquals(1, selection[0].skipped().size(), selection[0].skipped()::toString);
            assertTrue(selection[0].skipped().get(0).contains(ConstructorThrows.class.getName()),
                    selection[0].skipped()::toString);
            assertTrue(selection[0].skipped().get(0).contains(ConstructorThrows.WHY),
                    () -> "the skipped entry names the cause: " + selection[0].skipped());
            assertWarned(log, ConstructorThrows.class.getName(), ConstructorThrows.WHY);
        }

        @Test
        void aListedClassThatDoesNotExist() throws Exception {
            String missing = "io.github.emballoc.api.NoSuchProvider";
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] = withServiceFile(List.of(missing, Alpha.class.getName()),
                    CriticalSections::select));

            assertEquals("alpha", selection[0].chosen().name());
            assertTrue(selection[0].skipped().get(0).contains(missing), selection[0].skipped()::toString);
            assertWarned(log, missing, "not found");
        }

        @Test
        void aListedClassThatIsNoProvider() throws Exception {
            Selection[] selection = new Selection[1];
            // (A class of a named module, such as java.lang.String, would be ignored by ServiceLoader silently.)
            String notAProvider = SelectionTestProviders.class.getName();
            String log = stderrOf(() -> selection[0] = withServiceFile(List.of(notAProvider, Alpha.class.getName()),
                    CriticalSections::select));

            assertEquals("alpha", selection[0].chosen().name());
            assertWarned(log, notAProvider, "not a subtype");
        }

        @Test
        void aProviderWhoseNameThrows() {
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] =
                    CriticalSections.select(List.of(new NameThrows(), new Alpha()), null));

            assertEquals("alpha", selection[0].chosen().name());
            assertEquals(List.of(NameThrows.class.getName() + " (name() or priority() threw"
                    + " java.lang.IllegalStateException: " + NameThrows.WHY + ")"), selection[0].skipped());
            assertWarned(log, NameThrows.class.getName(), NameThrows.WHY);
        }

        @Test
        void aProviderWhoseNameThrowsALinkageError() throws Exception {
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] = withServices(
                    List.of(List.of(NameLinkageError.class, Alpha.class)), CriticalSections::select));

            assertEquals("alpha", selection[0].chosen().name());
            assertEquals(List.of(NameLinkageError.class.getName() + " (name() or priority() threw"
                    + " java.lang.AbstractMethodError: " + NameLinkageError.WHY + ")"), selection[0].skipped());
            assertWarned(log, NameLinkageError.class.getName(), NameLinkageError.WHY);
        }

        @Test
        void aProviderWhosePriorityNeedsAMissingClass() {
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] =
                    CriticalSections.select(List.of(new Beta(), new PriorityLinkageError()), null));

            assertEquals(List.of("beta"), names(selection[0].available()));
            assertEquals(List.of(PriorityLinkageError.class.getName() + " (name() or priority() threw"
                    + " java.lang.NoClassDefFoundError: " + PriorityLinkageError.WHY + ")"), selection[0].skipped());
            assertWarned(log, PriorityLinkageError.class.getName(), PriorityLinkageError.WHY);
        }

        @Test
        void aProviderWithABlankName() {
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] =
                    CriticalSections.select(List.of(new BlankName(), new Alpha()), null));

            assertEquals("alpha", selection[0].chosen().name());
            assertEquals(List.of(BlankName.class.getName() + " (its name is empty)"), selection[0].skipped());
            assertWarned(log, BlankName.class.getName(), "its name is empty");
        }

        @Test
        void anIteratorThatFailsForOneCandidateGoesOnToTheNext() {
            ServiceConfigurationError failure = new ServiceConfigurationError("Provider x.Broken could not be loaded");
            Iterable<CriticalSectionProvider> candidates = () -> new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < 3;
                }

                @Override
                public CriticalSectionProvider next() {
                    switch (next++) {
                        case 0:
                            return new Bottom();
                        case 1:
                            throw failure;
                        case 2:
                            return new Beta();
                        default:
                            throw new NoSuchElementException();
                    }
                }
            };
            Selection[] selection = new Selection[1];
            String log = stderrOf(() -> selection[0] = CriticalSections.select(candidates, null));

            assertEquals(List.of("beta", "bottom"), names(selection[0].available()));
            assertEquals(1, selection[0].skipped().size());
            assertWarned(log, "x.Broken", "could not be loaded");
        }
    }

    @Nested
    class WithoutAnSlf4jBackend {

        @Test
        void aSkippedProviderIsStillReportedOnStandardError() throws Exception {
            // A child JVM with slf4j-api but no backend: SLF4J drops every message, so the warning must reach
            // the user another way (the JDK's System.Logger, java.util.logging by default, on standard error).
            Path services = serviceDir(List.of(ConstructorThrows.class.getName(), Alpha.class.getName()));
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", String.join(java.io.File.pathSeparator, location(CriticalSections.class),
                            location(NoBackendProbe.class), location(org.slf4j.Logger.class), services.toString()),
                    NoBackendProbe.class.getName());
            Path out = work.resolve("probe.out");
            Path err = work.resolve("probe.err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the probe JVM did not finish");
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            String report = "command: " + command + "\nstdout:\n" + stdout + "stderr:\n" + stderr;

            assertEquals(0, process.exitValue(), report);
            assertTrue(stdout.contains("chosen=alpha") && stdout.contains("skipped=1"), report);
            assertTrue(stderr.contains("No SLF4J providers were found"), () -> "not the set-up meant: " + report);
            assertTrue(stderr.contains("WARNING: skipping critical section provider: a provider that failed to load"),
                    report);
            assertTrue(stderr.contains(ConstructorThrows.class.getName()) && stderr.contains(ConstructorThrows.WHY),
                    report);
        }

        private String location(Class<?> type) throws java.net.URISyntaxException {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
    }

    @Nested
    class CreateChecksWhatTheProviderMade {

        @Test
        void aProviderThatMakesNullIsNamedInsteadOfFailingLater() throws Exception {
            System.setProperty(CriticalSections.PROPERTY, "nothing");

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> withServices(List.of(List.of(CreatesNull.class, Alpha.class)), CriticalSections::create));

            assertEquals("critical section provider 'nothing' (" + CreatesNull.class.getName()
                    + ") returned null from create()", e.getMessage());
        }

        @Test
        void whatAProvidersCreateThrowsIsWrappedNamingTheProvider() throws Exception {
            System.setProperty(CriticalSections.PROPERTY, "failing");

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> withServices(List.of(List.of(CreateThrows.class)), CriticalSections::create));

            assertEquals("critical section provider 'failing' (" + CreateThrows.class.getName()
                    + ") failed to make a section: java.lang.UnsupportedOperationException: " + CreateThrows.WHY,
                    e.getMessage());
            assertTrue(e.getCause() instanceof UnsupportedOperationException, () -> String.valueOf(e.getCause()));
        }
    }

    @Nested
    class TwoProvidersWithTheSameName {

        @Test
        void areAnErrorNamingBothClasses() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CriticalSections.select(List.of(new Alpha(), new TwinOne(), new TwinTwo()), null));

            assertEquals("two critical section providers are named 'twin': " + TwinOne.class.getName() + " and "
                    + TwinTwo.class.getName() + "; remove one of them from the class path or module path",
                    e.getMessage());
        }

        @Test
        void theErrorAlsoNamesTheProvidersSkipped() throws Exception {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> quietly(() -> withServices(
                    List.of(List.of(TwinOne.class, TwinTwo.class, ConstructorThrows.class)), CriticalSections::select)));

            assertTrue(e.getMessage().startsWith("two critical section providers are named 'twin': "
                    + TwinOne.class.getName() + " and " + TwinTwo.class.getName() + "; remove one of them from the"
                    + " class path or module path (skipped: a provider that failed to load: "), e.getMessage());
            assertTrue(e.getMessage().contains(ConstructorThrows.WHY), e.getMessage());
        }

        @Test
        void areAnErrorEvenWhenThePropertyNamesAnother() throws Exception {
            System.setProperty(CriticalSections.PROPERTY, "alpha");

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> withServices(List.of(List.of(TwinTwo.class), List.of(Alpha.class, TwinOne.class)),
                            CriticalSections::select));

            assertTrue(e.getMessage().startsWith("two critical section providers are named 'twin': "), e.getMessage());
            assertTrue(e.getMessage().contains(TwinOne.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains(TwinTwo.class.getName()), e.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> withServices(List.of(List.of(TwinTwo.class, TwinOne.class)), CriticalSections::available));
        }
    }

    @Test
    void nullCandidatesAreRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> CriticalSections.select(null, "cas"));

        assertEquals("candidates", e.getMessage());
    }

    @Test
    void theSelectionHoldsUnmodifiableCopies() {
        List<CriticalSectionProvider> available = new ArrayList<>(List.of(new Alpha()));
        List<String> skipped = new ArrayList<>();
        Selection selection = new Selection(available.get(0), Reason.PRIORITY, available, skipped);
        available.clear();
        skipped.add("later");

        assertEquals(1, selection.available().size());
        assertEquals(List.of(), selection.skipped());
        assertThrows(UnsupportedOperationException.class, () -> selection.available().clear());
        assertThrows(NullPointerException.class, () -> new Selection(null, Reason.PRIORITY, List.of(), List.of()));
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Calls {@code action} with the thread context class loader set to one whose class path is one directory
     * per element of {@code files}, in that order, each holding a service file that lists those classes.
     */
    private <T> T withServices(List<List<Class<?>>> files, Callable<T> action) throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (List<Class<?>> file : files) {
            dirs.add(serviceDir(file.stream().map(Class::getName).collect(Collectors.toList())));
        }
        return withClassPath(dirs, action);
    }

    /** As {@link #withServices}, with one service file of these lines. */
    private <T> T withServiceFile(List<String> lines, Callable<T> action) throws Exception {
        return withClassPath(List.of(serviceDir(lines)), action);
    }

    private Path serviceDir(List<String> lines) throws IOException {
        Path dir = work.resolve("cp" + nextDir++);
        Path file = dir.resolve(SERVICE_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return dir;
    }

    private <T> T withClassPath(List<Path> dirs, Callable<T> action) throws Exception {
        URL[] urls = new URL[dirs.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = dirs.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }
        // The parent (this test's loader) has no service file for CriticalSectionProvider, so only ours count.
        URLClassLoader loader = new URLClassLoader(urls, CriticalSectionsTest.class.getClassLoader());
        loaders.add(loader);
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            Thread.currentThread().setContextClassLoader(savedContextLoader);
        }
    }

    private static List<String> loadedOrder() {
        List<String> names = new ArrayList<>();
        for (CriticalSectionProvider provider : ServiceLoader.load(CriticalSectionProvider.class)) {
            names.add(provider.name());
        }
        return names;
    }

    private static List<String> names(List<CriticalSectionProvider> providers) {
        return providers.stream().map(CriticalSectionProvider::name).collect(Collectors.toList());
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    private static void assertWarned(String log, String what, String why) {
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("skipping critical section provider"), log);
        assertTrue(log.contains(what), () -> "the warning does not name " + what + ":\n" + log);
        assertTrue(log.contains(why), () -> "the warning does not give the cause " + why + ":\n" + log);
    }

    /** What the action wrote to {@code System.err}, where slf4j-simple logs. */
    private static String stderrOf(ThrowingAction action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Runs the action with {@code System.err} swallowed (for expected warnings), rethrowing what it throws. */
    private static <T> T quietly(Callable<T> action) throws Exception {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return action.call();
        } finally {
            System.setErr(saved);
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }

    @Test
    void theStandardProvidersSortAsDocumented() {
        // cas (100) before single-core (0), as the class javadoc states.
        Selection selection = CriticalSections.select(
                List.of(new Fixed("single-core", 0), new Fixed("cas", 100)), null);

        assertEquals(List.of("cas", "single-core"), names(selection.available()));
        assertSame(selection.available().get(0), selection.chosen());
    }

    /** An iterator that fails without ever advancing must not make selection loop forever. */
    @Test
    void anIteratorThatNeverAdvancesPastAFailureIsRefusedNotLoopedOn() {
        Iterable<CriticalSectionProvider> stuck = () -> new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new java.util.ServiceConfigurationError("always broken");
            }

            @Override
            public CriticalSectionProvider next() {
                throw new java.util.NoSuchElementException();
            }
        };
        IllegalStateException[] thrown = new IllegalStateException[1];
        stderrOf(() -> thrown[0] = assertThrows(IllegalStateException.class,
                () -> CriticalSections.select(stuck, null)));
        IllegalStateException e = thrown[0];
        assertTrue(e.getMessage().contains("failed to load") && e.getMessage().contains("always broken"),
                e.getMessage());
    }
}
