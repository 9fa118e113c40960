/**
 * A critical section without atomic instructions for emballoc allocators used from one thread only:
 * {@link io.github.emballoc.lock.singlecore.SingleCoreCriticalSection}, provided as the critical section named
 * {@code single-core} (priority 0) by {@link io.github.emballoc.lock.singlecore.SingleCoreProvider}.
 *
 * <p>Depends on nothing but {@code io.github.emballoc.api} (which needs {@code org.slf4j} at run time for its
 * own logging; this module does not read it).
 */
module io.github.emballoc.lock.singlecore {
    requires transitive io.github.emballoc.api;

    exports io.github.emballoc.lock.singlecore;

    provides io.github.emballoc.api.CriticalSectionProvider
            with io.github.emballoc.lock.singlecore.SingleCoreProvider;
}
