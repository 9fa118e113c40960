/**
 * A compare-and-swap spin lock for emballoc allocators shared between threads:
 * {@link io.github.emballoc.lock.cas.CasSpinLock}, provided as the critical section named {@code cas}
 * (priority 100) by {@link io.github.emballoc.lock.cas.CasProvider}.
 *
 * <p>Depends on nothing but {@code io.github.emballoc.api} (which needs {@code org.slf4j} at run time for its
 * own logging; this module does not read it).
 */
module io.github.emballoc.lock.cas {
    requires transitive io.github.emballoc.api;

    exports io.github.emballoc.lock.cas;

    provides io.github.emballoc.api.CriticalSectionProvider with io.github.emballoc.lock.cas.CasProvider;
}
