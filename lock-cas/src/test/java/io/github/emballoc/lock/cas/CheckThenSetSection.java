package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;

/**
 * A deliberately broken lock, subtler than {@link DoNothingSection}: it waits until a volatile flag is clear
 * and then sets it, in two steps instead of one compare-and-swap, so two threads that see the flag clear at
 * the same moment both get in. Tests use it to show that the contention harness notices a narrow race, not
 * only a section that does nothing.
 */
final class CheckThenSetSection implements CriticalSection {

    private volatile boolean held;

    @Override
    public void enter() {
        while (held) {
            Thread.onSpinWait();
        }
        held = true; // broken on purpose: not atomic with the check above
    }

    @Override
    public void exit() {
        held = false;
    }

    @Override
    public String toString() {
        return "CheckThenSetSection";
    }
}
