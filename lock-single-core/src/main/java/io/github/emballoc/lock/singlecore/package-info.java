/**
 * The {@code single-core} critical section: {@link io.github.emballoc.lock.singlecore.SingleCoreCriticalSection},
 * which uses no atomic instructions and is confined to one thread, and
 * {@link io.github.emballoc.lock.singlecore.SingleCoreProvider}, which offers it to
 * {@link io.github.emballoc.api.CriticalSections}.
 */
package io.github.emballoc.lock.singlecore;
