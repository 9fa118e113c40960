package io.github.emballoc.lock.cas;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;

/**
 * Provides {@link CasSpinLock}s under the name {@value #NAME}, priority {@value #PRIORITY}: the default
 * whenever this artifact is present, since it is correct for any number of threads. Registered for
 * {@link java.util.ServiceLoader} in {@code module-info.java} and in {@code META-INF/services}; see
 * {@link io.github.emballoc.api.CriticalSections} for how a provider is chosen.
 *
 * <p>Threads: stateless; every method may be called from any thread.
 */
public final class CasProvider implements CriticalSectionProvider {

    /** The name that selects this provider: {@code -Demballoc.critical-section=cas}. */
    public static final String NAME = "cas";

    /** The priority, higher than that of {@code single-core} (0), so this provider wins when both are present. */
    public static final int PRIORITY = 100;

    /** Makes the provider; {@link java.util.ServiceLoader} calls this. */
    public CasProvider() {
    }

    /**
     * Returns {@value #NAME}.
     *
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns {@value #PRIORITY}.
     *
     * @return {@value #PRIORITY}
     */
    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * Makes a new lock that no thread holds.
     *
     * @return a new {@link CasSpinLock}
     */
    @Override
    public CriticalSection create() {
        return new CasSpinLock();
    }

    /**
     * Describes the provider.
     *
     * @return its name, priority and the section it makes
     */
    @Override
    public String toString() {
        return "CasProvider[" + NAME + ", priority " + PRIORITY + ", makes CasSpinLock]";
    }
}
