package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.trace.ReplayResult;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of an allocator that claims to be emballoc 0.3.0's best fit, byte for byte: it replays the
 * traces bundled in this artifact and expects emballoc's own output, checks the header bytes it leaves,
 * and attaches to images emballoc made (rules {@code E1} to {@code E4}).
 *
 * <pre>{@code
 * class BestFitCompatibilityTest implements EmballocCompatibilityContract {
 *     @Override
 *     public Allocator newBestFitAllocator(RawHeap heap) {
 *         return FirstFitAllocator.builder(heap).fit(Fit.BEST).build();
 *     }
 * }
 * }</pre>
 *
 * <p>The traces and outputs are those of {@code shared/traces} ({@code trace-format.md}); the {@code .best}
 * outputs were produced by emballoc 0.3.0 itself.
 */
public interface EmballocCompatibilityContract extends JUnitPlatformGuard {

    /**
     * Makes the best-fit allocator under test over {@code heap} (zeroed, or holding an image for
     * {@code E3}).
     *
     * @param heap the heap
     * @return a new allocator
     */
    Allocator newBestFitAllocator(RawHeap heap);

    /**
     * Makes a first-fit allocator to check against the bundled {@code .first} outputs ({@code E4}), or
     * returns {@code null}, the default, when there is none: {@code E4} is then skipped.
     *
     * @param heap the heap
     * @return a new first-fit allocator, or {@code null}
     */
    default Allocator newFirstFitAllocator(RawHeap heap) {
        return null;
    }

    /**
     * Makes a new zeroed heap for {@code E1}, {@code E3} and {@code E4}. The default is
     * {@link RawHeaps#allocate(int)}.
     *
     * @param capacity the size in bytes, the trace's heap size
     * @return the heap
     * @throws Exception if the heap cannot be made (the test fails with it)
     */
    default RawHeap newHeap(int capacity) throws Exception {
        return RawHeaps.allocate(capacity);
    }

    /**
     * Verifies rule E1: replaying each bundled trace on a fresh heap of the trace's size gives exactly
     * emballoc's output: every returned offset, null, free outcome and final entry. If this fails, the message
     * shows the first line that differs; compare the choice of entry (best fit: the smallest that fits, the
     * lowest offset among equals), the over-allocation for alignment and the forward-only merge with
     * {@code heap-format.md}.
     *
     * @return one test per bundled trace
     */
    @TestFactory
    @DisplayName("E1: best fit replays every bundled trace exactly as emballoc does")
    default List<DynamicTest> e1_bestFitReplaysLikeEmballoc() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : BundledTraces.NAMES) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Trace trace = BundledTraces.trace(name);
                RawHeap heap = newHeap(trace.resolveHeapSize(OptionalInt.empty()));
                assertSameOutput(name + ".best", BundledTraces.expected(name, "best"),
                        TraceReplayer.replay(trace, newBestFitAllocator(heap)));
            }));
        }
        return tests;
    }

    /**
     * Verifies rule E2: after each bundled trace, on little- and big-endian heaps, the four bytes at each
     * entry's offset are emballoc's header word {@code (size << 1) | used} in that order, read byte by byte.
     * If this fails, check the header encoding and that headers are written through the heap's
     * {@code putInt} (in its order), not assembled in a fixed order.
     *
     * @return one test per bundled trace and byte order
     */
    @TestFactory
    @DisplayName("E2: headers are emballoc's words, in the heap's byte order")
    default List<DynamicTest> e2_headersAreEmballocWords() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : BundledTraces.NAMES) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                tests.add(DynamicTest.dynamicTest(name + " " + order, () -> {
                    Trace trace = BundledTraces.trace(name);
                    RawHeap heap = RawHeaps.allocate(trace.resolveHeapSize(OptionalInt.empty()), order);
                    TraceReplayer.replay(trace, newBestFitAllocator(heap));
                    for (int[] entry : entries(BundledTraces.expected(name, "best"))) {
                        int word = (entry[2] << 1) | entry[1];
                        for (int i = 0; i < 4; i++) {
                            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                            byte expected = (byte) (word >>> shift);
                            byte actual = heap.getByte(entry[0] + i);
                            if (actual != expected) {
                                fail(name + " on a " + order + " heap: byte " + i + " of the header at offset " + entry[0]
                                        + " (" + (entry[1] == 1 ? "used " : "free ") + entry[2] + ") is "
                                        + Checks.hex(actual) + ", emballoc writes " + Checks.hex(expected)
                                        + " (word 0x" + Integer.toHexString(word) + ")");
                            }
                        }
                    }
                }));
            }
        }
        return tests;
    }

    /**
     * Verifies rule E3: an allocator built on a heap that holds the image emballoc left after each bundled
     * trace attaches to it: it walks exactly emballoc's entries, {@code verify()} passes, and it frees every
     * used block of the image. If this fails, check the attach path: a heap whose first word is not zero
     * must be read as it is, not initialised.
     *
     * @return one test per bundled trace
     */
    @TestFactory
    @DisplayName("E3: attaches to the images emballoc leaves")
    default List<DynamicTest> e3_attachesToEmballocImages() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : BundledTraces.NAMES) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Trace trace = BundledTraces.trace(name);
                String expected = BundledTraces.expected(name, "best");
                List<int[]> entries = entries(expected);
                RawHeap heap = newHeap(trace.resolveHeapSize(OptionalInt.empty()));
                for (int[] entry : entries) {
                    heap.putInt(entry[0], (entry[2] << 1) | entry[1]);
                }
                Allocator allocator = newBestFitAllocator(heap);
                StringBuilder walked = new StringBuilder();
                allocator.walk((offset, used, size) -> walked.append("e ").append(offset)
                        .append(used ? " used " : " free ").append(size).append('\n'));
                assertEquals(entryLines(expected), walked.toString(), name + ": the entries walked on emballoc's image");
                allocator.verify();
                for (int i = entries.size() - 1; i >= 0; i--) {
                    if (entries.get(i)[1] == 1) {
                        allocator.free(entries.get(i)[0] + 4);
                    }
                }
                assertEquals(0, allocator.stats().usedEntries(), name + ": used entries after freeing every block"
                        + " of the image");
                allocator.verify();
            }));
        }
        return tests;
    }

    /**
     * Verifies rule E4 (only when {@link #newFirstFitAllocator(RawHeap)} returns an allocator): replaying each
     * bundled trace under first fit gives exactly the bundled {@code .first} output. Skipped otherwise.
     * If this fails, check the choice of entry: first fit takes the first free entry in walk order that
     * fits.
     *
     * @return one test per bundled trace
     * @throws Exception if {@link #newHeap(int)} throws
     */
    @TestFactory
    @DisplayName("E4: first fit replays every bundled trace exactly (when offered)")
    default List<DynamicTest> e4_firstFitReplaysExactly() throws Exception {
        Assumptions.assumeTrue(newFirstFitAllocator(newHeap(64)) != null,
                "skipped: newFirstFitAllocator returns null (override it to check the .first outputs)");
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : BundledTraces.NAMES) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Trace trace = BundledTraces.trace(name);
                RawHeap heap = newHeap(trace.resolveHeapSize(OptionalInt.empty()));
                assertSameOutput(name + ".first", BundledTraces.expected(name, "first"),
                        TraceReplayer.replay(trace, newFirstFitAllocator(heap)));
            }));
        }
        return tests;
    }

    private static void assertSameOutput(String file, String expected, ReplayResult result) {
        String actual = result.output();
        if (expected.equals(actual)) {
            return;
        }
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, got.length); i++) {
            String w = i < want.length ? want[i] : "(end of output)";
            String g = i < got.length ? got[i] : "(end of output)";
            if (!w.equals(g)) {
                String operation = i < result.trace().operations().size()
                        ? " (trace line " + result.trace().operations().get(i).line() + ": "
                        + result.trace().operations().get(i).toTraceLine() + ")" : " (final entries)";
                fail(file + ": output line " + (i + 1) + operation + " is '" + g + "', emballoc's is '" + w + "'");
            }
        }
        assertEquals(expected, actual, file);
    }

    /** The {@code e OFFSET used|free SIZE} lines of an output, as {offset, used (1/0), size}. */
    private static List<int[]> entries(String output) {
        List<int[]> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("e ")) {
                String[] fields = line.trim().split("\\s+");
                assertTrue(fields.length == 4, "a bundled entry line: " + line);
                entries.add(new int[] {Integer.parseInt(fields[1]), "used".equals(fields[2]) ? 1 : 0,
                    Integer.parseInt(fields[3])});
            }
        }
        return entries;
    }

    private static String entryLines(String output) {
        StringBuilder out = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.startsWith("e ")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
