package io.github.emballoc.cli;

import io.github.emballoc.api.HeapCorruptedException;
import io.github.emballoc.api.trace.TraceFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code emballoc} command: {@code demo}, {@code replay}, {@code size}, {@code inspect} and
 * {@code providers}.
 *
 * <p>Exit status: 0 on success, 1 for a corrupt heap image, 2 for usage errors and malformed input (a trace
 * that breaks the format, a file that cannot be read), 3 for an internal error (a bug: any other exception,
 * and any {@link Error}, out of memory included). Errors are one line on
 * standard error, {@code emballoc: ...}, with no stack trace unless {@code --debug} is given. Standard output
 * receives the command's output only when the command succeeds, all at once: nothing half-done is ever
 * printed.
 *
 * <p>Threads: each call of {@link #run} is independent; calls may run concurrently (each uses its own
 * streams), except that {@code --debug} logging is configured once per JVM, by {@link #main}.
 */
@Command(name = "emballoc",
        mixinStandardHelpOptions = true,
        versionProvider = Emballoc.Version.class,
        subcommands = {DemoCommand.class, ReplayCommand.class, SizeCommand.class, InspectCommand.class,
                ProvidersCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "emballoc's entry allocator (4-byte in-band headers, first and best fit) for fixed heaps on the JVM.",
                "",
                "Exit status: 0 success, 1 corrupt heap image, 2 usage error or malformed input, 3 internal error."},
        footer = {"",
                "Run 'emballoc COMMAND --help' for the options of a command. Start with 'emballoc demo'."})
public final class Emballoc implements Callable<Integer> {

    /** Success. */
    static final int OK = 0;
    /** A heap image that breaks the heap format. */
    static final int CORRUPT = 1;
    /** A usage error or malformed input. */
    static final int USAGE = 2;
    /** An internal error: a bug in the command or a library. */
    static final int INTERNAL = 3;

    /** The system property slf4j-simple reads for its default level. */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "Print stack traces with errors and log at debug level.")
    boolean debug;

    private final InputStream stdin;
    private final Spool output;

    private Emballoc(InputStream stdin, Spool output) {
        this.stdin = stdin;
        this.output = output;
    }

    /**
     * Runs the command in a new JVM and exits with its status. {@code --debug} anywhere before {@code --}
     * also switches the SLF4J backend to debug level (it logs warnings and errors only otherwise, on standard
     * error).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (debugRequested(args) && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "debug");
        }
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs the command, reading standard input from {@code stdin} (for a trace named {@code -}).
     * The output is written to {@code out} only if the command succeeds; errors go to {@code err}.
     *
     * @param args the command line, for example {@code replay --fit first trace.txt}
     * @param stdin what {@code -} reads
     * @param out where the output goes
     * @param err where errors and help for usage errors go
     * @return the exit status: 0 success, 1 corrupt image, 2 usage error or malformed input, 3 internal error
     */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        boolean debug = debugRequested(args);
        Spool buffer = new Spool();
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int status;
        try {
            CommandLine commandLine = new CommandLine(new Emballoc(stdin, buffer));
            commandLine.setOut(new PrintWriter(buffer));
            HelpText.install(commandLine);
            commandLine.setErr(errWriter);
            commandLine.setCaseInsensitiveEnumValuesAllowed(true);
            // A command's header is its line in the list of commands; its own help starts with the usage.
            for (CommandLine command : commandLine.getSubcommands().values()) {
                List<String> sections = new ArrayList<>(command.getHelpSectionKeys());
                sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
                sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
                command.setHelpSectionKeys(sections);
            }
            commandLine.setParameterExceptionHandler((e, arguments) -> {
                errWriter.println("emballoc: " + HelpText.cutLongValues(e.getMessage()));
                CommandLine failed = e.getCommandLine();
                errWriter.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
                if (debug) {
                    e.printStackTrace(errWriter);
                }
                return USAGE;
            });
            commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> report(e, errWriter, debug));
            status = commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            status = report(new CliException(INTERNAL, "out of memory (" + e.getMessage()
                    + "); give the JVM more, for example EMBALLOC_JAVA_OPTS=-Xmx4g ./emballoc ..."), errWriter, false);
        } catch (RuntimeException | Error e) {
            // picocli hands only Exceptions to the execution exception handler; an Error (a LinkageError from a
            // broken plug-in, a StackOverflowError, an AssertionError) comes out of execute() and is a bug too:
            // one line and status 3, never a raw stack trace and the JVM's status 1 (which means a corrupt image).
            status = report(e, errWriter, debug);
        }
        errWriter.flush();
        try {
            if (status == OK) {
                buffer.copyTo(out);
            }
        } catch (IOException e) {
            status = report(new CliException(USAGE, "cannot write the output: " + e.getMessage(), e), errWriter,
                    debug);
        } finally {
            buffer.close();
        }
        return status;
    }

    /**
     * Runs the command with {@link System#in} as standard input (see {@link #run(String[], InputStream,
     * PrintStream, PrintStream)}).
     *
     * @param args the command line
     * @param out where the output goes
     * @param err where errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Without a command: the usage on standard error, status 2. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("emballoc: missing command: choose one of demo, replay, size, inspect, providers");
        spec.commandLine().usage(err);
        return USAGE;
    }

    /** Returns what {@code -} reads. */
    InputStream stdin() {
        return stdin;
    }

    /** Returns where a command writes its output (buffered; written out only on success). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Returns the same buffer as {@link #out()}, as a writer that throws when a write fails (a full disk once
     * a large output has moved to a temporary file), for commands whose output can be large.
     */
    Writer output() {
        return output;
    }

    private static boolean debugRequested(String[] args) {
        for (String arg : args) {
            if ("--".equals(arg)) {
                return false;
            }
            if ("--debug".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /** Prints one line for {@code e} (and its stack trace under {@code --debug}); returns the exit status. */
    static int report(Throwable e, PrintWriter err, boolean debug) {
        int status;
        String message;
        if (e instanceof CliException) {
            status = ((CliException) e).status();
            message = e.getMessage();
        } else if (e instanceof TraceFormatException) {
            status = USAGE;
            message = e.getMessage();
        } else if (e instanceof HeapCorruptedException) {
            status = CORRUPT;
            message = e.getMessage();
        } else if (e instanceof UncheckedIOException || e instanceof IOException) {
            status = USAGE;
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            message = "input/output error: " + cause;
        } else {
            status = INTERNAL;
            message = "internal error: " + e + (debug ? "" : " (run again with --debug for the stack trace)");
        }
        err.println("emballoc: " + message);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Emballoc.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"emballoc " + properties.getProperty("version", "(unknown version)")
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
