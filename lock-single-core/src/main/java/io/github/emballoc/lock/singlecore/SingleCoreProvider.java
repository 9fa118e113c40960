package io.github.emballoc.lock.singlecore;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;

/**
 * Provides {@link SingleCoreCriticalSection}s under the name {@value #NAME}, priority {@value #PRIORITY}: the
 * lowest of the standard providers, so it is chosen only when it is the only one present or when the system
 * property names it ({@code -Demballoc.critical-section=single-core}). Registered for
 * {@link java.util.ServiceLoader} in {@code module-info.java} and in {@code META-INF/services}; see
 * {@link io.github.emballoc.api.CriticalSections} for how a provider is chosen.
 *
 * <p>Threads: stateless; every method may be called from any thread (the sections it makes are confined to
 * the first thread that enters each of them).
 */
public final class SingleCoreProvider implements CriticalSectionProvider {

    /** The name that selects this provider: {@code -Demballoc.critical-section=single-core}. */
    public static final String NAME = "single-core";

    /** The priority, lower than that of {@code cas} (100), so this provider is never chosen over it by default. */
    public static final int PRIORITY = 0;

    /** Makes the provider; {@link java.util.ServiceLoader} calls this. */
    public SingleCoreProvider() {
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
     * Makes a new section that no thread has entered yet.
     *
     * @return a new {@link SingleCoreCriticalSection}
     */
    @Override
    public CriticalSection create() {
        return new SingleCoreCriticalSection();
    }

    /**
     * Describes the provider.
     *
     * @return its name, priority and the section it makes
     */
    @Override
    public String toString() {
        return "SingleCoreProvider[" + NAME + ", priority " + PRIORITY + ", makes SingleCoreCriticalSection]";
    }
}
