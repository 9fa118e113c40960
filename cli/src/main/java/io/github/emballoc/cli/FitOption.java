package io.github.emballoc.cli;

import io.github.emballoc.api.Fit;
import picocli.CommandLine.Option;

/** The {@code --fit first|best} option of the commands that build an allocator (demo, replay, size). */
final class FitOption {

    @Option(names = "--fit", paramLabel = "first|best", defaultValue = "best", converter = Converters.FitName.class,
            description = "Which free entry an allocation takes: the first that fits, or the smallest "
                    + "(emballoc's own choice). Default: ${DEFAULT-VALUE}.")
    Fit fit;
}
