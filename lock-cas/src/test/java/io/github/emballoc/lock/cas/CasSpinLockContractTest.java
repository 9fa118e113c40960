package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.testkit.CriticalSectionContract;

/** {@link CasSpinLock} keeps every rule of {@link CriticalSectionContract}, contention included. */
class CasSpinLockContractTest implements CriticalSectionContract {

    @Override
    public CriticalSection newCriticalSection() {
        return new CasSpinLock();
    }
}
