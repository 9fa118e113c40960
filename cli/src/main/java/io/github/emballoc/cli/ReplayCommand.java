package io.github.emballoc.cli;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code emballoc replay}: replays a trace and prints the replay output. */
@Command(name = "replay",
        header = "Replay an allocation trace and print each result and the final entries.",
        description = {
                "Replays an allocation trace and prints one line per operation (a ID OFFSET|null, "
                        + "f ID ok|double-free|not-found|unknown-id), then one line per entry of the final heap "
                        + "(e OFFSET used|free SIZE), in the format of shared/docs/trace-format.md.",
                "",
                "Trace lines: 'heap SIZE' (optional, before the first operation), 'a ID SIZE [ALIGN]', "
                        + "'f ID [DELTA]', '# comment'. A malformed trace is reported as FILE:LINE: problem "
                        + "(exit status 2) and nothing is replayed."})
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

    @Option(names = "--order", paramLabel = "little|big", defaultValue = "little",
            converter = Converters.Order.class,
            description = "The byte order of the headers in the heap (and in --image-out). Default: little.")
    ByteOrder order;

    @Option(names = "--image-out", paramLabel = "FILE",
            description = "Also write the final heap image, the raw bytes of the heap, to FILE (replaced if it "
                    + "exists). 'emballoc inspect FILE' reads it back.")
    String imageOut;

    @Parameters(paramLabel = "TRACE", description = "The trace file, or - for standard input.")
    String traceName;

    @Override
    public Integer call() {
        Trace trace = TraceInput.read(traceName, root.stdin());
        int size = trace.resolveHeapSize(heap == null ? OptionalInt.empty() : OptionalInt.of(heap));
        RawHeap rawHeap = RawHeaps.allocate(size, order);
        Allocator allocator = Allocators.of(fitOption.fit).build(rawHeap);
        ReplayResult result = TraceReplayer.replay(trace, allocator);
        StringBuilder out = new StringBuilder(trace.operations().size() * 12 + result.entries().count() * 16);
        try {
            result.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder failed", e);
        }
        if (imageOut != null) {
            byte[] image = new byte[size];
            rawHeap.getBytes(0, image, 0, size);
            try {
                Files.write(TraceInput.path(imageOut), image);
            } catch (IOException e) {
                throw new CliException(Emballoc.USAGE, imageOut + ": cannot write the heap image: " + e, e);
            }
        }
        root.out().append(out);
        return Emballoc.OK;
    }
}
