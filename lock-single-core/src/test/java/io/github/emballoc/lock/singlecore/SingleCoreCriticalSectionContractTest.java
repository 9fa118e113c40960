package io.github.emballoc.lock.singlecore;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.testkit.CriticalSectionContract;
import io.github.emballoc.testkit.CriticalSectionFeature;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link SingleCoreCriticalSection} keeps the rules of {@link CriticalSectionContract} for one thread, and
 * refuses every other thread (it declares {@link CriticalSectionFeature#CONFINED_TO_ONE_THREAD}, so the
 * contention rules are skipped and C11 checks the refusal).
 */
class SingleCoreCriticalSectionContractTest implements CriticalSectionContract {

    @Override
    public CriticalSection newCriticalSection() {
        return new SingleCoreCriticalSection();
    }

    @Override
    public Set<CriticalSectionFeature> features() {
        return EnumSet.of(CriticalSectionFeature.CONFINED_TO_ONE_THREAD);
    }
}
