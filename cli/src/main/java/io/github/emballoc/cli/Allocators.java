package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import io.github.emballoc.indexed.IndexedAllocator;
import java.util.Objects;

/**
 * The one place where the command builds allocators: every command gets its allocators from here, each
 * with a new critical section from the provider chosen once (by the rules of {@link CriticalSections}), so
 * that commands that build many allocators ({@code size}) scan the class path once.
 *
 * <p>Strategies: {@link Strategy#LINEAR} is {@code FirstFitAllocator}, {@link Strategy#INDEXED} is
 * {@code IndexedAllocator}; the two make the same decisions and write the same bytes, so {@code replay} and
 * {@code size} default to the faster one ({@link #preferred()}).
 */
final class Allocators {

    private final CriticalSectionProvider provider;
    private final Fit fit;
    private final Strategy strategy;
    private final Coalescing coalescing;

    private Allocators(CriticalSectionProvider provider, Fit fit, Strategy strategy, Coalescing coalescing) {
        this.provider = provider;
        this.fit = fit;
        this.strategy = strategy;
        this.coalescing = coalescing;
    }

    /** The faster strategy: the default of {@code replay} and {@code size}. */
    static Strategy preferred() {
        return Strategy.INDEXED;
    }

    /**
     * Chooses the critical-section provider, with the linear strategy and forward coalescing.
     *
     * @throws CliException (status 2) if no provider can be chosen, with the reason
     */
    static Allocators of(Fit fit) {
        return of(fit, Strategy.LINEAR, Coalescing.FORWARD);
    }

    /**
     * Chooses the critical-section provider.
     *
     * @throws CliException (status 2) if no provider can be chosen, with the reason
     */
    static Allocators of(Fit fit, Strategy strategy, Coalescing coalescing) {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(coalescing, "coalescing");
        Objects.requireNonNull(strategy, "strategy");
        try {
            return new Allocators(CriticalSections.chosen(), fit, strategy, coalescing);
        } catch (IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The same choices of {@code options}, with {@code fit}. */
    static Allocators of(Fit fit, StrategyOptions options) {
        return of(fit, options.strategy, options.coalescing);
    }

    /** Builds an allocator on {@code heap}: initialises a heap whose first word is zero, else attaches. */
    Allocator build(RawHeap heap) {
        switch (strategy) {
            case LINEAR:
                return FirstFitAllocator.builder(heap).fit(fit).coalescing(coalescing)
                        .criticalSection(provider.create()).build();
            case INDEXED:
                return IndexedAllocator.builder(heap).fit(fit).coalescing(coalescing)
                        .criticalSection(provider.create()).build();
            default:
                throw new IllegalStateException("no allocator for " + strategy);
        }
    }

    Fit fit() {
        return fit;
    }

    Strategy strategy() {
        return strategy;
    }

    Coalescing coalescing() {
        return coalescing;
    }

    /** Describes the allocators, for example {@code best fit, linear, forward coalescing}. */
    String describe() {
        return Converters.name(fit) + " fit, " + strategy.word() + ", " + Converters.name(coalescing)
                + " coalescing";
    }
}
