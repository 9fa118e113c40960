package io.github.emballoc.benchmarks.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnguardedSectionTest {

    @Test
    void reentryAndUnpairedExitAreRefusedAndChangeNothing() {
        UnguardedSection section = new UnguardedSection();
        IllegalStateException exit = assertThrows(IllegalStateException.class, section::exit);
        assertEquals("UnguardedSection exited while not inside", exit.getMessage());
        section.enter();
        IllegalStateException enter = assertThrows(IllegalStateException.class, section::enter);
        assertEquals("UnguardedSection entered again while inside", enter.getMessage());
        assertEquals("UnguardedSection[inside]", section.toString());
        section.exit();
        assertEquals("UnguardedSection[outside]", section.toString());
    }

    @Test
    void anotherThreadMayUseItAfterAHandOver() throws InterruptedException {
        UnguardedSection section = new UnguardedSection();
        section.run(() -> { });
        Thread other = new Thread(() -> section.run(() -> { }));
        other.start();
        other.join();
        section.enter();
        section.exit();
    }
}
