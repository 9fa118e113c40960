package io.github.emballoc.cli;

import picocli.CommandLine.Option;

/** The options every subcommand has: {@code --help} and {@code --debug}. */
final class CommonOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--debug", description = "Print stack traces with errors and log at debug level.")
    boolean debug;
}
