package io.github.emballoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.EntryList;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.HeapStats;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.image.HeaderDescriptor;
import io.github.emballoc.api.trace.Trace;
import io.github.emballoc.api.trace.TraceReplayer;
import io.github.emballoc.firstfit.FirstFitAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code inspect --svg} and {@code replay --plot}: the files are well-formed, self-contained SVG (parsed
 * here with {@code javax.xml}, no scripts, no external references), and what they draw matches the heap and
 * the run, bar for bar and point for point.
 */
class PicturesTest {

    private static final String SVG = "http://www.w3.org/2000/svg";

    @TempDir
    Path dir;

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        Document document = builder.parse(file.toFile());
        Element root = document.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG, root.getNamespaceURI());
        assertEquals(0, document.getElementsByTagNameNS("*", "script").getLength(), "no scripts");
        assertEquals(0, document.getElementsByTagNameNS("*", "image").getLength(), "no images");
        assertEquals(0, document.getElementsByTagNameNS("*", "use").getLength(), "no references");
        String text = Files.readString(file);
        assertTrue(!text.contains("href") && !text.contains("url(") && !text.contains("@import"), "no external"
                + " references");
        return document;
    }

    /** The elements of a tag whose class list holds every given class. */
    private static List<Element> elements(Document document, String tag, String... classes) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS(SVG, tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            List<String> has = List.of(element.getAttribute("class").split(" "));
            if (has.containsAll(List.of(classes))) {
                found.add(element);
            }
        }
        return found;
    }

    private static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }

    private static List<String> texts(Document document, String cssClass) {
        List<String> texts = new ArrayList<>();
        for (Element element : elements(document, "text", cssClass)) {
            texts.add(element.getTextContent());
        }
        return texts;
    }

    /** Replays a bundled trace with --image-out and returns the image file. */
    private Path image(String name) {
        Path trace = Cli.traceFile(dir, name);
        Path image = dir.resolve(name + ".img");
        Cli.Result replay = Cli.run("replay", "--image-out", image.toString(), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        return image;
    }

    @Test
    void aSmallHeapIsDrawnEntryByEntryToScaleWithItsHeaders() throws Exception {
        Path image = image("emballoc-walkthrough"); // e 0 used 8, e 12 free 16: the walk ends at 32
        Path picture = dir.resolve("walkthrough.svg");
        Cli.Result inspect = Cli.run("inspect", "--svg", picture.toString(), image.toString());
        assertEquals(0, inspect.status, inspect::toString);
        Document svg = parse(picture);
        double scale = HeapPicture.STRIP / 32.0;
        List<Element> used = elements(svg, "rect", "entry", "used");
        List<Element> free = elements(svg, "rect", "entry", "free");
        List<Element> headers = elements(svg, "rect", "header");
        assertEquals(1, used.size());
        assertEquals(1, free.size());
        assertEquals(2, headers.size());
        assertEquals(HeapPicture.USED_COLOUR, used.get(0).getAttribute("fill"));
        assertEquals(HeapPicture.FREE_COLOUR, free.get(0).getAttribute("fill"));
        assertEquals(HeapPicture.HEADER_COLOUR, headers.get(0).getAttribute("fill"));
        assertEquals(HeapPicture.LEFT + 4 * scale, number(used.get(0), "x"), 0.01);
        assertEquals(8 * scale, number(used.get(0), "width"), 0.01);
        assertEquals(HeapPicture.LEFT + 16 * scale, number(free.get(0), "x"), 0.01);
        assertEquals(16 * scale, number(free.get(0), "width"), 0.01);
        assertEquals(HeapPicture.LEFT + 12 * scale, number(headers.get(1), "x"), 0.01);
        assertEquals("e 0 used 8", used.get(0).getTextContent());
        assertEquals(0, elements(svg, "rect", "tail").size(), "the walk ends at the capacity: no tail");
        assertTrue(texts(svg, "legend").contains("never-visited tail (none: the walk ends at the capacity)"));
        assertEquals(List.of("0", "4", "8", "12", "16", "20", "24", "28", "32"), texts(svg, "axis-label"));
        assertTrue(texts(svg, "legend").containsAll(List.of("used payload", "free payload", "header (4 bytes)")));
    }

    @Test
    void theNeverVisitedTailIsMarkedAndEveryEntryHasItsBar() throws Exception {
        Path image = image("sample-77004-h4096");
        Path picture = dir.resolve("sample.svg");
        Cli.Result inspect = Cli.run("inspect", "--svg", picture.toString(), image.toString());
        assertEquals(0, inspect.status, inspect::toString);
        assertTrue(inspect.out.contains("# unusable         4 bytes"), inspect::toString);
        EntryList entries = EntryList.of(RawHeaps.wrap(Files.readAllBytes(image)));
        Document svg = parse(picture);
        List<Element> bars = elements(svg, "rect", "entry");
        assertEquals(entries.count(), bars.size());
        assertEquals(entries.count(), elements(svg, "rect", "header").size());
        double scale = HeapPicture.STRIP / 4096.0;
        for (int i = 0; i < entries.count(); i++) {
            Element bar = bars.get(i);
            assertEquals(entries.used(i) ? HeapPicture.USED_COLOUR : HeapPicture.FREE_COLOUR, bar.getAttribute("fill"));
            assertEquals(entries.size(i) * scale, number(bar, "width"), 0.01, "entry " + i);
            assertEquals(HeapPicture.LEFT + (entries.offset(i) + 4) * scale, number(bar, "x"), 0.01, "entry " + i);
        }
        List<Element> tail = elements(svg, "rect", "tail");
        assertEquals(1, tail.size());
        assertEquals(HeapPicture.TAIL_COLOUR, tail.get(0).getAttribute("fill"));
        assertEquals(1, elements(svg, "polygon", "tail-mark").size());
        assertEquals(List.of("never-visited 4-byte tail at 4092"), texts(svg, "tail-label"));
    }

    /**
     * 100,001 entries on a 1 MiB heap: every pixel column is drawn as the shares of used payload, headers and
     * free payload of the bytes it covers, which match the entries to the percent, and the file stays small.
     */
    @Test
    void aHundredThousandEntriesAreDrawnPerPixelColumn() throws Exception {
        int capacity = 1 << 20;
        RawHeap heap = RawHeaps.allocate(capacity);
        // The image written header by header (through the format's own HeaderDescriptor): 100,000 entries of
        // 0 to 12 bytes, free ones more and more likely along the heap (seeded), then one free entry to the end.
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        int offset = 0;
        for (int i = 0; i < 100_000; i++) {
            int size = 4 * random.nextInt(4);
            heap.putInt(offset, HeaderDescriptor.word(size, random.nextInt(100_000) >= i));
            offset += HeaderDescriptor.HEADER_LENGTH + size;
        }
        heap.putInt(offset, HeaderDescriptor.word(capacity - offset - HeaderDescriptor.HEADER_LENGTH, false));
        EntryList entries = EntryList.of(heap);
        assertEquals(100_001, entries.count());
        byte[] bytes = new byte[capacity];
        heap.getBytes(0, bytes, 0, capacity);
        Path image = Files.write(dir.resolve("many.img"), bytes);
        Path picture = dir.resolve("many.svg");
        Cli.Result inspect = Cli.run("inspect", "--svg", picture.toString(), image.toString());
        assertEquals(0, inspect.status, inspect::toString);
        assertTrue(Files.size(picture) < 600_000, "size " + Files.size(picture));
        Document svg = parse(picture);
        assertEquals(0, elements(svg, "rect", "entry").size(), "entries narrower than a pixel are not drawn one by one");
        // Group the column rectangles by x: each group is one run of pixel columns with the same shares.
        Map<Double, double[]> groups = new TreeMap<>();
        for (Element rect : elements(svg, "rect", "column")) {
            double[] group = groups.computeIfAbsent(number(rect, "x"), x -> new double[5]);
            group[0] = number(rect, "width");
            String kind = rect.getAttribute("class").split(" ")[1];
            int index = List.of("used", "header", "free", "tail").indexOf(kind);
            group[1 + index] += number(rect, "height");
        }
        double covered = 0;
        for (Map.Entry<Double, double[]> group : groups.entrySet()) {
            double x = group.getKey() - HeapPicture.LEFT;
            double[] heights = group.getValue();
            assertEquals(x, covered, 0.001, "the runs of columns are contiguous");
            covered += heights[0];
            assertEquals(HeapPicture.BAR, heights[1] + heights[2] + heights[3] + heights[4], 0.05);
            // The used share of the first column of the run, counted from the entries here.
            double from = x * capacity / HeapPicture.STRIP;
            double to = (x + 1) * capacity / HeapPicture.STRIP;
            double used = 0;
            for (int i = 0; i < entries.count(); i++) {
                if (entries.used(i)) {
                    used += Math.max(0, Math.min(to, entries.offset(i) + 4.0 + entries.size(i))
                            - Math.max(from, entries.offset(i) + 4.0));
                }
            }
            assertEquals(used / (to - from), heights[1] / HeapPicture.BAR, 0.011, "column at " + x);
        }
        assertEquals(HeapPicture.STRIP, covered, 0.001, "the columns cover the strip");
        assertTrue(groups.size() > 100, "runs: " + groups.size());
    }

    @Test
    void aRunIsPlottedPointForPointWithAMarkerPerFailedAllocation() throws Exception {
        Path trace = Cli.traceFile(dir, "emballoc-walkthrough");
        Path picture = dir.resolve("run.svg");
        Cli.Result replay = Cli.run("replay", "--plot", picture.toString(), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        assertEquals(Cli.resource("emballoc-walkthrough.best"), replay.out, "--plot leaves the output alone");
        Document svg = parse(picture);
        List<Element> failures = elements(svg, "polygon", "failure");
        assertEquals(1, failures.size());
        assertEquals("operation 3 (" + trace + ":5): a z 16 returned null", failures.get(0).getTextContent());
        assertEquals(RunPlot.FAILURE_COLOUR, failures.get(0).getAttribute("fill"));
        // The used bytes after each of the 8 operations, one point each, at the operation's x.
        List<Long> used = usedAfterEachOperation(Trace.parse(trace), 32);
        String[] points = elements(svg, "polyline", "used").get(0).getAttribute("points").split(" ");
        double plotWidth = RunPlot.WIDTH - RunPlot.LEFT - RunPlot.RIGHT;
        double plotHeight = RunPlot.HEIGHT - RunPlot.TOP - RunPlot.BOTTOM;
        assertEquals(8, points.length);
        for (int i = 0; i < 8; i++) {
            String[] xy = points[i].split(",");
            assertEquals(RunPlot.LEFT + plotWidth * (i + 1) / 8, Double.parseDouble(xy[0]), 0.01, "x of " + i);
            assertEquals(RunPlot.TOP + plotHeight - plotHeight * used.get(i) / 32, Double.parseDouble(xy[1]), 0.01,
                    "y of " + i);
        }
        for (String series : new String[] {"free", "largest-free", "fragmentation"}) {
            assertEquals(1, elements(svg, "polyline", "series", series).size(), series);
        }
        assertTrue(texts(svg, "axis-title").contains("operation number"), texts(svg, "axis-title").toString());
        assertTrue(texts(svg, "legend").contains("failed allocation (1 in all)"));
    }

    @Test
    void aLongRunKeepsEveryFailureAndTheExtremesPerColumn() throws Exception {
        // 2,000 operations, 186 of them failed allocations: two operations per column.
        Path trace = Cli.traceFile(dir, "sample-77004-h4096");
        Path picture = dir.resolve("long.svg");
        Cli.Result replay = Cli.run("replay", "--plot", picture.toString(), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        long nulls = replay.out.lines().filter(l -> l.endsWith(" null")).count();
        assertEquals(186, nulls);
        Document svg = parse(picture);
        int marked = 0;
        for (Element failure : elements(svg, "polygon", "failure")) {
            String title = failure.getTextContent();
            marked += title.matches("\\d+ failed allocations in .*") ? Integer.parseInt(title.split(" ")[0]) : 1;
        }
        assertEquals(nulls, marked, "every failed allocation is counted by a marker");
        List<Long> used = usedAfterEachOperation(Trace.parse(trace), 4096);
        long most = used.stream().mapToLong(Long::longValue).max().getAsLong();
        long least = used.stream().mapToLong(Long::longValue).min().getAsLong();
        double plotHeight = RunPlot.HEIGHT - RunPlot.TOP - RunPlot.BOTTOM;
        double top = Double.MAX_VALUE;
        double bottom = 0;
        String[] points = elements(svg, "polyline", "used").get(0).getAttribute("points").split(" ");
        assertTrue(points.length <= 2 * RunPlot.COLUMNS, "points: " + points.length);
        for (String point : points) {
            double y = Double.parseDouble(point.split(",")[1]);
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
        }
        assertEquals(RunPlot.TOP + plotHeight - plotHeight * most / 4096, top, 0.01, "the highest used is drawn");
        assertEquals(RunPlot.TOP + plotHeight - plotHeight * least / 4096, bottom, 0.01, "the lowest used is drawn");
        assertTrue(texts(svg, "axis-title").stream().anyMatch(t -> t.startsWith("operation number (each column: 2"
                + " operations")), texts(svg, "axis-title").toString());
    }

    @Test
    void aHundredThousandOperationsMakeASmallFile() throws IOException {
        StringBuilder text = new StringBuilder("heap 65536\n");
        for (int i = 0; i < 50_000; i++) {
            text.append("a b").append(i % 300).append(' ').append(1 + (i * 37) % 500).append("\nf b")
                    .append((i * 7) % 300).append('\n');
        }
        Path trace = Cli.write(dir.resolve("long.trace"), text.toString());
        Path picture = dir.resolve("long.svg");
        Cli.Result replay = Cli.run("replay", "--plot", picture.toString(), trace.toString());
        assertEquals(0, replay.status, replay::toString);
        assertTrue(Files.size(picture) < 400_000, "size " + Files.size(picture));
    }

    @Test
    void anUnwritablePictureIsAUsageErrorAndPrintsNothing() {
        Path image = image("emballoc-walkthrough");
        Path nowhere = dir.resolve("no-such-dir").resolve("x.svg");
        Cli.Result inspect = Cli.run("inspect", "--svg", nowhere.toString(), image.toString());
        assertEquals(2, inspect.status, inspect::toString);
        assertEquals("", inspect.out);
        assertTrue(inspect.err.startsWith("emballoc: " + nowhere + ": cannot write the picture: "), inspect::toString);
        Cli.Result replay = Cli.run("replay", "--plot", nowhere.toString(), Cli.traceFile(dir, "emballoc-walkthrough")
                .toString());
        assertEquals(2, replay.status, replay::toString);
        assertTrue(replay.err.startsWith("emballoc: " + nowhere + ": cannot write the plot: "), replay::toString);
    }

    private static List<Long> usedAfterEachOperation(Trace trace, int capacity) {
        Allocator allocator = FirstFitAllocator.builder(RawHeaps.allocate(capacity)).fit(Fit.BEST).build();
        TraceReplayer.Session session = new TraceReplayer.Session(allocator);
        List<Long> used = new ArrayList<>();
        for (int i = 0; i < trace.operationCount(); i++) {
            session.replay(trace, i);
            HeapStats stats = allocator.stats();
            used.add((long) stats.usedBytes());
        }
        return used;
    }
}
