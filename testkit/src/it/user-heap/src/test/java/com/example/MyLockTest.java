package com.example;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.testkit.CriticalSectionContract;
import java.util.concurrent.locks.ReentrantLock;

class MyLockTest implements CriticalSectionContract {
    @Override
    public CriticalSection newCriticalSection() {
        ReentrantLock lock = new ReentrantLock();
        return new CriticalSection() {
            @Override
            public void enter() {
                if (lock.isHeldByCurrentThread()) {
                    throw new IllegalStateException("re-entered");
                }
                lock.lock();
            }

            @Override
            public void exit() {
                if (!lock.isHeldByCurrentThread()) {
                    throw new IllegalStateException("exit without enter");
                }
                lock.unlock();
            }
        };
    }
}
