package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.CriticalSectionProvider;
import io.github.emballoc.api.CriticalSections;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.util.Objects;

/**
 * The one place where the command builds allocators: every command gets its allocators from here, each
 * with a new critical section from the provider chosen once (by the rules of {@link CriticalSections}), so
 * that commands that build many allocators ({@code size}) scan the class path once.
 *
 * <p>Strategies: {@link Strategy#LINEAR} is {@code FirstFitAllocator}. {@link Strategy#INDEXED}
 * ({@code IndexedAllocator}, module {@code core-indexed}) is not part of this build yet: asking for it is a
 * usage error naming the alternative, never a silent fallback. Adding it is two edits here:
 * {@link #available(Strategy)} returns {@code true} for it, and {@link #build(RawHeap)} gets its case.
 * {@code replay} and {@code size} then default to it ({@link #preferred()}).
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

    /**
     * Whether this build can construct allocators of a strategy.
     */
    static boolean available(Strategy strategy) {
        return strategy == Strategy.LINEAR;
    }

    /** The fastest strategy this build has: the default of {@code replay} and {@code size}. */
    static Strategy preferred() {
        return available(Strategy.INDEXED) ? Strategy.INDEXED : Strategy.LINEAR;
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
     * Checks that the strategy is available and chooses the critical-section provider.
     *
     * @throws CliException (status 2) if the strategy is not in this build, or no provider can be chosen
     */
    static Allocators of(Fit fit, Strategy strategy, Coalescing coalescing) {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(coalescing, "coalescing");
        if (!available(strategy)) {
            throw CliException.usage("--strategy " + strategy.word() + ": this build of emballoc has no "
                    + strategy.word() + " allocator (module core-" + strategy.word() + "); use --strategy "
                    + preferred().word() + ", which makes the same decisions and writes the same bytes");
        }
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
            default:
                throw new IllegalStateException(strategy + " passed the availability check but cannot be built");
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
