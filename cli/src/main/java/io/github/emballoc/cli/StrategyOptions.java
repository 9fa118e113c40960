package io.github.emballoc.cli;

import io.github.emballoc.api.Coalescing;
import picocli.CommandLine.Option;

/**
 * The {@code --strategy linear|indexed} and {@code --coalescing forward|both} options of the commands that
 * build allocators ({@code replay} and {@code size}: strategy default the fastest this build has, see
 * {@link Allocators#preferred()}); {@link Demo} is the same for {@code demo}, whose default strategy is
 * linear, the walk that its walkthrough explains.
 */
class StrategyOptions {

    @Option(names = "--strategy", paramLabel = "linear|indexed", converter = Converters.StrategyName.class,
            description = "How free entries are found: linear (a walk over every entry, emballoc's own way) or "
                    + "indexed (an index, O(log n) per operation). Both make the same decisions and write the "
                    + "same bytes. Default: ${DEFAULT-VALUE}.")
    Strategy strategy = Allocators.preferred();

    @Option(names = "--coalescing", paramLabel = "forward|both", defaultValue = "forward",
            converter = Converters.CoalescingName.class,
            description = "Which free neighbours a free merges with: forward (the following entry only, "
                    + "emballoc's rule) or both (also the entry before). Default: ${DEFAULT-VALUE}.")
    Coalescing coalescing;

    /** The options of {@code demo}: linear by default. */
    static final class Demo extends StrategyOptions {
        Demo() {
            strategy = Strategy.LINEAR;
        }
    }
}
