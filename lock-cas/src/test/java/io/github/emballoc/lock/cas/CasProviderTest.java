package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.lock.singlecore.SingleCoreProvider;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provider on the class path, where {@code META-INF/services} registers it (module-info is ignored). */
class CasProviderTest {

    @Test
    void nameAndPriority() {
        CasProvider provider = new CasProvider();

        assertEquals("cas", provider.name());
        assertEquals(100, provider.priority());
    }

    @Test
    void everySectionIsANewFreeLock() {
        CasProvider provider = new CasProvider();

        CriticalSection first = provider.create();
        CriticalSection second = provider.create();

        assertTrue(first instanceof CasSpinLock, first::toString);
        assertNotSame(first, second);
        first.enter();
        second.enter(); // independent: not a re-entry, and no wait
        second.exit();
        first.exit();
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        List<String> found = ServiceLoader.load(CriticalSectionProvider.class).stream()
                .map(p -> p.type().getName())
                .collect(Collectors.toList());

        assertTrue(found.contains(CasProvider.class.getName()), found::toString);
    }

    @Test
    void itWinsByPriorityOverSingleCoreAndTheNameStillPicksSingleCore() {
        // lock-single-core is a test dependency of this module, so both standard providers are present.
        CriticalSections.Selection byPriority =
                CriticalSections.select(ServiceLoader.load(CriticalSectionProvider.class), null);
        CriticalSections.Selection byName =
                CriticalSections.select(ServiceLoader.load(CriticalSectionProvider.class), "single-core");

        assertEquals(List.of("cas", "single-core"),
                byPriority.available().stream().map(CriticalSectionProvider::name).collect(Collectors.toList()));
        assertEquals(CasProvider.class, byPriority.chosen().getClass());
        assertEquals(CriticalSections.Reason.PRIORITY, byPriority.reason());
        assertEquals("single-core", byName.chosen().name());
        assertEquals(CriticalSections.Reason.PROPERTY, byName.reason());
    }

    @Test
    void theProvidersBesideTheLibraryAreFoundWhateverTheThreadsContextLoader() throws Exception {
        // A context loader that sees none of the providers (as a pool thread's may in a container), and none.
        try (URLClassLoader blind = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            for (ClassLoader context : new ClassLoader[] {blind, null}) {
                CriticalSections.Selection selection = withContextLoader(context, CriticalSections::select);
                List<CriticalSectionProvider> available = withContextLoader(context, CriticalSections::available);

                assertEquals(CasProvider.class, selection.chosen().getClass(), () -> "context loader " + context);
                assertEquals(List.of("cas", "single-core"), names(available), () -> "context loader " + context);
                assertTrue(withContextLoader(context, CriticalSections::create) instanceof CasSpinLock);
            }
        }
    }

    @Test
    void aContextLoaderWithItsOwnCopyOfALockCountsItOnceAndItsCopyIsKept() throws Exception {
        // A child-first loader (as a web application's) holding its own copy of lock-cas; the library's loader
        // has lock-cas too. Two classes named alike must not make two providers named 'cas'.
        try (ChildFirst child = new ChildFirst(location(CasSpinLock.class), CasSpinLock.class.getPackageName())) {
            CriticalSections.Selection selection = withContextLoader(child, CriticalSections::select);

            assertEquals(List.of("cas", "single-core"), names(selection.available()));
            assertEquals(CasProvider.class.getName(), selection.chosen().getClass().getName());
            assertSame(child, selection.chosen().getClass().getClassLoader(), "the context loader's copy is kept");
            assertSame(SingleCoreProvider.class, selection.available().get(1).getClass());
            assertEquals(List.of(), selection.skipped());
        }
    }

    private static <T> T withContextLoader(ClassLoader context, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(context);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    private static List<String> names(List<CriticalSectionProvider> providers) {
        return providers.stream().map(CriticalSectionProvider::name).collect(Collectors.toList());
    }

    private static URL location(Class<?> type) throws URISyntaxException, IOException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL();
    }

    /** Loads the classes of one package from its own URL first, everything else from the test's loader. */
    private static final class ChildFirst extends URLClassLoader {
        private final String prefix;

        ChildFirst(URL url, String packageName) {
            super(new URL[] {url}, CasProviderTest.class.getClassLoader());
            this.prefix = packageName + ".";
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!name.startsWith(prefix)) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
