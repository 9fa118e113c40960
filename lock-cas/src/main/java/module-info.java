/**
 * A compare-and-swap spin lock for emballoc allocators shared between threads:
 * {@link io.github.emballoc.lock.cas.CasSpinLock}, provided as the critical section named {@code cas}
 * (priority 100) by {@link io.github.emballoc.lock.cas.CasProvider}.
 *
 * <p>Depends on nothing but {@code io.github.emballoc.api} (and through it {@code org.slf4j}).
 */
module io.github.emballoc.lock.cas {
    requires transitive io.github.emballoc.api;

    exports io.github.emballoc.lock.cas;

    provides io.github.emballoc.api.CriticalSectionProvider with io.github.emballoc.lock.cas.CasProvider;
}
