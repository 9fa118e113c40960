/**
 * The {@code cas} critical section: {@link io.github.emballoc.lock.cas.CasSpinLock}, a test-and-test-and-set
 * spin lock, and {@link io.github.emballoc.lock.cas.CasProvider}, which offers it to
 * {@link io.github.emballoc.api.CriticalSections}.
 */
package io.github.emballoc.lock.cas;
