package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;

/** A deliberately broken critical section: it lets every thread in at once. Tests use it to show that the
 * contention harness notices a section that does not exclude. */
final class DoNothingSection implements CriticalSection {

    @Override
    public void enter() {
        // broken on purpose: no exclusion
    }

    @Override
    public void exit() {
        // broken on purpose: no exclusion
    }

    @Override
    public String toString() {
        return "DoNothingSection";
    }
}
