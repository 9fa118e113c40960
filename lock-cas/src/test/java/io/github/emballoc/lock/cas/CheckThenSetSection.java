package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;

/**
 * A deliberately broken lock, subtler than {@link DoNothingSection}: it waits until a volatile flag is clear
 * and then sets it, in two steps instead of one compare-and-swap, so two threads that both see the flag clear
 * both get in. Tests use it to show that the contention harness notices a lock that excludes most of the time.
 *
 * <p>Now and then it yields between the check and the set. That stands for the preemption that makes this
 * bug bite on a real machine, and makes the race happen on any machine, however loaded: on two busy cores,
 * threads otherwise rarely reach the check at the same instant.
 */
final class CheckThenSetSection implements CriticalSection {

    private volatile boolean held;
    private int enters; // racy on purpose: only paces the yields

    @Override
    public void enter() {
        for (int spins = 1; held; spins++) {
            if ((spins & 1023) == 0) {
                Thread.yield(); // now and then, so that a descheduled holder runs on a busy machine
            } else {
                Thread.onSpinWait();
            }
        }
        if ((++enters & 63) == 0) {
            Thread.yield(); // broken on purpose: another thread may see the flag clear meanwhile
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
