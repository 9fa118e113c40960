package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ReplayCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @FieldSource("io.github.emballoc.cli.Cli#TRACES")
    void replayMatchesEmballocsOutputByteForByte(String name) {
        Path trace = Cli.traceFile(dir, name);

        Cli.Result best = Cli.run("replay", trace.toString());
        assertEquals(0, best.status, best::toString);
        assertEquals(Cli.resource(name + ".best"), best.out, best::toString);
        assertEquals("", best.err, best::toString);

        Cli.Result bestExplicit = Cli.run("replay", "--fit", "best", trace.toString());
        assertEquals(Cli.resource(name + ".best"), bestExplicit.out, bestExplicit::toString);

        Cli.Result first = Cli.run("replay", "--fit", "first", trace.toString());
        assertEquals(0, first.status, first::toString);
        assertEquals(Cli.resource(name + ".first"), first.out, first::toString);
        assertEquals("", first.err, first::toString);
    }

    @Test
    void replayMatchesTheSharedReferenceTracesWhenPresent() throws IOException {
        // shared/traces beside the repository (as in CI), else the team's shared directory on this machine.
        Path shared = Path.of(System.getProperty("emballoc.shared.traces", "../../shared/traces"));
        if (!Files.isDirectory(shared)) {
            shared = Path.of("/work/shared/traces");
        }
        assumeTrue(Files.isDirectory(shared), "no shared traces directory beside the repository");
        List<Path> traces;
        try (Stream<Path> files = Files.list(shared)) {
            traces = files.filter(p -> p.getFileName().toString().endsWith(".trace")).sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(traces.size() >= Cli.TRACES.size(), "traces in " + shared + ": " + traces);
        for (Path trace : traces) {
            String base = trace.toString().substring(0, trace.toString().length() - ".trace".length());
            for (String fit : new String[] {"best", "first"}) {
                Path expected = Path.of(base + "." + fit);
                if (!Files.exists(expected)) {
                    continue;
                }
                Cli.Result result = Cli.run("replay", "--fit", fit, trace.toString());
                assertEquals(0, result.status, result::toString);
                assertEquals(Files.readString(expected, StandardCharsets.UTF_8), result.out, result::toString);
            }
        }
    }

    @Test
    void standardInputIsReadForADash() {
        String trace = Cli.resource("sample-77002-h256.trace");
        Cli.Result result = Cli.runWithInput(trace.getBytes(StandardCharsets.UTF_8), "replay", "-");
        assertEquals(0, result.status, result::toString);
        assertEquals(Cli.resource("sample-77002-h256.best"), result.out, result::toString);
    }

    @Test
    void heapOptionOverridesTheHeapLine() {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Cli.Result result = Cli.run("replay", "--heap", "64", trace.toString());
        assertEquals(0, result.status, result::toString);
        // With 64 bytes, 'a z 16' fits: 0 used 8, 12 used 4, 20 used 16, ...
        assertEquals("a x 4\na y 16\na z 24\na w 44\nf w ok\nf x ok\na v 4\nf y ok\n"
                + "e 0 used 8\ne 12 free 4\ne 20 used 16\ne 40 free 20\n", result.out, result::toString);
        Cli.Result hex = Cli.run("replay", "--heap", "0x40", trace.toString());
        assertEquals(result.out, hex.out, hex::toString);
    }

    @Test
    void imageOutWritesTheFinalHeapAndInspectReadsTheSameEntries() throws IOException {
        for (String name : Cli.TRACES) {
            Path trace = Cli.traceFile(dir, name);
            for (String order : new String[] {"little", "big"}) {
                Path image = dir.resolve(name + "-" + order + ".img");
                Cli.Result replay = Cli.run("replay", "--order", order, "--image-out", image.toString(),
                        trace.toString());
                assertEquals(0, replay.status, replay::toString);
                byte[] bytes = Files.readAllBytes(image);
                int heap = Integer.parseInt(name.equals("emballoc-walkthrough") ? "32"
                        : name.substring(name.lastIndexOf('h') + 1));
                assertEquals(heap, bytes.length, "image size of " + name);

                Cli.Result inspect = Cli.run("inspect", "--order", order, image.toString());
                assertEquals(0, inspect.status, inspect::toString);
                assertEquals(replay.entryLines(), inspect.entryLines(), inspect::toString);
                assertTrue(inspect.entryLines().length() > 0, inspect::toString);
                assertEquals("", inspect.err, inspect::toString);
                assertEquals(bytes.length, Files.readAllBytes(image).length);
            }
        }
    }

    @Test
    void bigEndianImageHasBigEndianHeaders() throws IOException {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Path big = dir.resolve("big.img");
        Path little = dir.resolve("little.img");
        assertEquals(0, Cli.run("replay", "--order", "big", "--image-out", big.toString(), trace.toString()).status);
        assertEquals(0, Cli.run("replay", "--image-out", little.toString(), trace.toString()).status);
        byte[] b = Files.readAllBytes(big);
        byte[] l = Files.readAllBytes(little);
        // Final heap: e 0 used 8 (word 8 << 1 | 1 = 17), e 12 free 16 (word 32).
        assertEquals(List.of(0, 0, 0, 17), List.of((int) b[0], (int) b[1], (int) b[2], (int) b[3]));
        assertEquals(List.of(17, 0, 0, 0), List.of((int) l[0], (int) l[1], (int) l[2], (int) l[3]));
        assertEquals(List.of(0, 0, 0, 32), List.of((int) b[12], (int) b[13], (int) b[14], (int) b[15]));

        // Read in the wrong order, the first header claims far more than the heap.
        Cli.Result wrongOrder = Cli.run("inspect", big.toString());
        assertEquals(1, wrongOrder.status, wrongOrder::toString);
        assertTrue(wrongOrder.err.startsWith("emballoc: " + big + ": corrupt heap image: header at offset 0: "),
                wrongOrder::toString);
        assertEquals("", wrongOrder.out, wrongOrder::toString);
    }

    @Test
    void unwritableImageOutIsAUsageErrorAndPrintsNothing() {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Path image = dir.resolve("no-such-dir").resolve("x.img");
        Cli.Result result = Cli.run("replay", "--image-out", image.toString(), trace.toString());
        assertEquals(2, result.status, result::toString);
        assertEquals("", result.out, result::toString);
        assertTrue(result.err.startsWith("emballoc: " + image + ": cannot write the heap image: "), result::toString);
    }
}
