package io.github.emballoc.lock.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import java.util.List;
import java.util.ServiceLoader;
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
}
