package io.github.emballoc.api;

/**
 * A plug-in that makes {@link CriticalSection}s, found through {@link java.util.ServiceLoader}: registered in
 * {@code module-info.java} ({@code provides io.github.emballoc.api.CriticalSectionProvider with ...}) and in
 * {@code META-INF/services/io.github.emballoc.api.CriticalSectionProvider}, with a public no-argument
 * constructor. {@link CriticalSections} says how one is chosen.
 *
 * <p>Threads: {@link #name()} and {@link #priority()} are constant and may be called from any thread;
 * {@link #create()} must be safe to call from any thread.
 */
public interface CriticalSectionProvider {

    /**
     * Returns the name that the system property {@value CriticalSections#PROPERTY} uses to pick this
     * provider. Names are unique among the providers present.
     *
     * @return the name, for example {@code cas}; never {@code null} or empty
     */
    String name();

    /**
     * Returns the priority: when no provider is named, the highest wins (ties broken by name).
     *
     * @return the priority, for example 100 for {@code cas}
     */
    int priority();

    /**
     * Makes a new section, unentered, independent of every other.
     *
     * @return the section
     */
    CriticalSection create();
}
