package io.github.emballoc.lock.singlecore;

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
class SingleCoreProviderTest {

    @Test
    void nameAndPriority() {
        SingleCoreProvider provider = new SingleCoreProvider();

        assertEquals("single-core", provider.name());
        assertEquals(0, provider.priority());
    }

    @Test
    void everySectionIsNewAndUnowned() throws InterruptedException {
        SingleCoreProvider provider = new SingleCoreProvider();

        CriticalSection mine = provider.create();
        CriticalSection theirs = provider.create();
        mine.run(() -> { });
        Thread other = new Thread(() -> theirs.run(() -> { }), "other");
        other.start();
        other.join();

        assertTrue(mine instanceof SingleCoreCriticalSection, mine::toString);
        assertNotSame(mine, theirs);
        assertTrue(theirs.toString().contains("'other'"), theirs::toString); // owned by its own first thread
    }

    @Test
    void serviceLoaderFindsItOnTheClassPathAndItIsChosenWhenAlone() {
        List<String> found = ServiceLoader.load(CriticalSectionProvider.class).stream()
                .map(p -> p.type().getName())
                .collect(Collectors.toList());
        CriticalSections.Selection selection =
                CriticalSections.select(ServiceLoader.load(CriticalSectionProvider.class), null);

        assertEquals(List.of(SingleCoreProvider.class.getName()), found);
        assertEquals(SingleCoreProvider.class, selection.chosen().getClass());
        assertEquals(CriticalSections.Reason.PRIORITY, selection.reason());
        assertTrue(selection.chosen().create() instanceof SingleCoreCriticalSection);
    }
}
