package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.RawHeaps;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FirstFitAllocator#create} guards the allocator with a section from the chosen provider: with both
 * standard lock modules on the class path that is {@code cas} (shareable between threads), and the system
 * property switches it to {@code single-core} (confined to the first thread that uses it).
 */
class ProviderWiringTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(CriticalSections.PROPERTY);
    }

    @Test
    void createUsesTheHighestPriorityProviderWhichIsShareable() throws InterruptedException {
        assertEquals("cas", CriticalSections.chosen().name());
        FirstFitAllocator allocator = FirstFitAllocator.create(RawHeaps.allocate(64));
        int handle = allocator.allocate(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                allocator.free(handle);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertNull(failure.get(), "a cas-guarded allocator is usable from another thread");
        assertEquals(0, allocator.stats().usedEntries());
    }

    @Test
    void thePropertySelectsTheSingleCoreSectionWhichIsConfined() throws InterruptedException {
        System.setProperty(CriticalSections.PROPERTY, "single-core");
        FirstFitAllocator allocator = FirstFitAllocator.create(RawHeaps.allocate(64));
        int handle = allocator.allocate(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                allocator.free(handle);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "intruder");
        other.start();
        other.join();
        assertTrue(failure.get() instanceof IllegalStateException, "got " + failure.get());
        assertTrue(failure.get().getMessage().contains("intruder"), failure.get().getMessage());
        assertEquals(1, allocator.stats().usedEntries(), "the refused free changed nothing");
    }

    @Test
    void anUnknownProviderNameIsRefusedWithTheAvailableNames() {
        System.setProperty(CriticalSections.PROPERTY, "no-such-lock");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FirstFitAllocator.create(RawHeaps.allocate(64)));
        assertTrue(e.getMessage().contains("no-such-lock") && e.getMessage().contains("cas")
                && e.getMessage().contains("single-core"), e.getMessage());
    }
}
