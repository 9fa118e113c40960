package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.TraceReader;
import io.github.emballoc.api.trace.TraceReplayer;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code emballoc replay}: replays a trace and prints the replay output.
 *
 * <p>Constant memory: the trace is read twice, once to check every line (a malformed trace replays
 * nothing) and once to replay it, one line at a time ({@link TraceInput}); the output goes to the command's
 * spool, which moves to a temporary file when large. What grows with the input is one handle per distinct ID
 * and the heap itself.
 */
@Command(name = "replay",
        header = "Replay an allocation trace and print each result and the final entries.",
        description = {
                "Replays an allocation trace and prints one line per operation (a ID OFFSET|null, "
                        + "r ID OFFSET|null|double-free|not-found|unknown-id, "
                        + "f ID ok|double-free|not-found|unknown-id), then one line per entry of the final heap "
                        + "(e OFFSET used|free SIZE), in the format of shared/docs/trace-format.md.",
                "",
                "Trace lines: 'heap SIZE' (optional, before the first operation), 'a ID SIZE [ALIGN]', "
                        + "'f ID [DELTA]', 'r ID SIZE [ALIGN]', '# comment'. A malformed trace is reported as "
                        + "FILE:LINE: problem (exit status 2) and nothing is replayed; so is input that is not a "
                        + "trace (a NUL byte, a line over 4096 characters), at its first such line.",
                "",
                "Memory stays constant whatever the trace's length: the trace is checked in a first pass and "
                        + "replayed in a second (standard input is copied to a temporary file, deleted "
                        + "afterwards), and the output is held in a temporary file when large."})
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    Emballoc root;

    @Mixin
    CommonOptions common;

    @Option(names = "--heap", paramLabel = "BYTES", converter = Converters.HeapSize.class,
            description = "The heap size (a multiple of 4 from 8 to 2147483644, decimal or 0x hex); overrides the "
                    + "trace's 'heap' line. One of the two is required.")
    Integer heap;

    @Mixin
    FitOption fitOption;

    @Mixin
    StrategyOptions strategyOptions;

    @Option(names = "--order", paramLabel = "little|big", defaultValue = "little",
            converter = Converters.Order.class,
            description = "The byte order of the headers in the heap (and in --image-out). Default: little.")
    ByteOrder order;

    @Option(names = "--image-out", paramLabel = "FILE",
            description = "Also write the final heap image, the raw bytes of the heap, to FILE (replaced if it "
                    + "exists). 'emballoc inspect FILE' reads it back.")
    String imageOut;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Also draw the run as an SVG picture in FILE (replaced if it exists): used bytes, free "
                    + "bytes, the largest free entry and fragmentation against the operation number, each failed "
                    + "allocation marked. Long runs are drawn per column of operations, keeping each column's "
                    + "extremes.")
    String plot;

    @Parameters(paramLabel = "TRACE", description = "The trace file, or - for standard input.")
    String traceName;

    @Override
    public Integer call() {
        Allocators allocators = Allocators.of(fitOption.fit, strategyOptions);
        try (TraceInput input = TraceInput.check(traceName, root.stdin())) {
            int size = input.heapSize(heap == null ? OptionalInt.empty() : OptionalInt.of(heap));
            RawHeap rawHeap = RawHeaps.allocate(size, order);
            Allocator allocator = allocators.build(rawHeap);
            RunPlot run = plot == null ? null : new RunPlot(traceName, allocators, size, input.operations());
            Writer out = root.output();
            try (TraceReader reader = input.reopen()) {
                TraceReplayer.Session session = new TraceReplayer.Session(allocator);
                while (reader.next()) {
                    int outcome = session.replay(reader);
                    session.write(reader, outcome, out);
                    if (run != null) {
                        run.record(reader, outcome, allocator.stats());
                    }
                }
                EntryList.of(allocator).writeTo(out);
            } catch (IOException e) {
                throw new CliException(Emballoc.USAGE, traceName + ": " + e.getMessage(), e);
            }
            if (imageOut != null) {
                byte[] image = new byte[size];
                rawHeap.getBytes(0, image, 0, size);
                write(imageOut, image, "the heap image");
            }
            if (run != null) {
                write(plot, run.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8), "the plot");
            }
        }
        return Emballoc.OK;
    }

    /** Writes a file the command was asked for, or fails with a usage error naming it. */
    static void write(String name, byte[] bytes, String what) {
        try {
            Files.write(TraceInput.path(name), bytes);
        } catch (IOException e) {
            throw new CliException(Emballoc.USAGE, name + ": cannot write " + what + ": " + e, e);
        }
    }
}
