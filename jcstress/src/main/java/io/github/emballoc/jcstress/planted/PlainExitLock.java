package io.github.emballoc.jcstress.planted;

import io.github.emballoc.api.CriticalSection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A deliberately broken lock, kept for the suite to catch: a correct acquiring compare-and-set to enter, and
 * a plain store to exit, which is no release. The writes made inside the section may then become visible
 * after the store that frees the lock (the JIT may move them past it, and so may a processor that reorders
 * stores), so the next thread to enter may miss them or even run alongside them. On x86 the processor keeps
 * stores in order; only the compiler can show the bug there.
 */
public final class PlainExitLock implements CriticalSection {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PlainExitLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int state; // 0 free, 1 held

    @Override
    public void enter() {
        while (!(boolean) STATE.weakCompareAndSetAcquire(this, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void exit() {
        state = 0; // broken on purpose: a plain store, not STATE.setRelease(this, 0)
    }
}
