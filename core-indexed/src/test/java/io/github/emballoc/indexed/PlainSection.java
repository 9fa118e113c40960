package io.github.emballoc.indexed;

import io.github.emballoc.api.CriticalSection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A correct critical section for the algorithm's own tests, so that they do not depend on which lock plug-in
 * is on the class path. Refuses re-entry and unpaired exit, as every section must.
 */
final class PlainSection implements CriticalSection {
    private final ReentrantLock lock = new ReentrantLock();

    @Override
    public void enter() {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("re-entered by " + Thread.currentThread().getName());
        }
        lock.lock();
    }

    @Override
    public void exit() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("exit without enter by " + Thread.currentThread().getName());
        }
        lock.unlock();
    }
}
