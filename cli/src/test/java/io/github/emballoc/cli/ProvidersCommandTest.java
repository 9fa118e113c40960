package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
}
