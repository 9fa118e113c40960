package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.api.Fit;

/**
 * Builds the allocators a command uses, each with a new critical section from the provider chosen once (by
 * the rules of {@link CriticalSections}), so that commands that build many allocators ({@code size}) scan
 * the class path once.
 */
final class Allocators {

    private final CriticalSectionProvider provider;
    private final Fit fit;

    private Allocators(CriticalSectionProvider provider, Fit fit) {
        this.provider = provider;
        this.fit = fit;
    }

    /**
     * Chooses the critical-section provider.
     *
     * @throws CliException (status 2) if none can be chosen, with the reason
     */
    static Allocators of(Fit fit) {
        try {
            return new Allocators(CriticalSections.chosen(), fit);
        } catch (IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** Builds an allocator on {@code heap}: initialises a heap whose first word is zero, else attaches. */
    Allocator build(RawHeap heap) {
        return FirstFitAllocator.builder(heap).fit(fit).criticalSection(provider.create()).build();
    }

    Fit fit() {
        return fit;
    }
}
