package io.github.emballoc.testkit;

/**
 * Behaviour a {@link io.github.emballoc.api.CriticalSection} may declare in
 * {@link CriticalSectionContract#features()}. Rules that do not apply to a declared behaviour are skipped,
 * and the skip names it; the declared behaviour is checked instead.
 */
public enum CriticalSectionFeature {

    /**
     * The section admits one thread only (the thread that made it and entered it first) and refuses every
     * other with {@link IllegalStateException}, as a single-core section that uses no atomic instructions
     * does. The contention rules are skipped; the refusal is checked instead.
     */
    CONFINED_TO_ONE_THREAD
}
