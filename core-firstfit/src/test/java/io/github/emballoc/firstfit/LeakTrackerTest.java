package io.github.emballoc.firstfit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Coalescing;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeaps;
import io.github.emballoc.api.debug.LeakReport;
import io.github.emballoc.api.debug.LeakTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link LeakTracker}: a report names the code that allocated each live block (the test method that leaked),
 * groups blocks by site with their counts and bytes, follows frees by any offset the allocator accepts and
 * reallocations; the levels track every block, a sampled share, or nothing, and {@code OFF} makes no object.
 */
class LeakTrackerTest {

    private static FirstFitAllocator allocator(int capacity) {
        return FirstFitAllocator.builder(RawHeaps.allocate(capacity)).criticalSection(new PlainSection()).build();
    }

    @Test
    void aLeakReportNamesTheTestMethodThatLeaked() {
        LeakTracker allocator = LeakTracker.track(allocator(4096), LeakTracker.Level.EVERY);
        int kept = allocator.allocate(24);
        allocator.free(allocator.allocate(100));

        LeakReport report = allocator.report();

        assertEquals(1, report.sites().size(), report::toText);
        LeakReport.Site site = report.sites().get(0);
        assertEquals(List.of(kept), site.handles());
        assertEquals(24, site.bytes());
        StackTraceElement top = site.frames().get(0);
        assertEquals(LeakTrackerTest.class.getName(), top.getClassName());
        assertEquals("aLeakReportNamesTheTestMethodThatLeaked", top.getMethodName());
        assertTrue(report.toText().contains("\n    " + LeakTrackerTest.class.getName()
                + ".aLeakReportNamesTheTestMethodThatLeaked(LeakTrackerTest.java:"), report::toText);
        assertEquals(Optional.of(site.frames()), allocator.allocationSite(kept));
    }

    private static int[] cacheEntries(Allocator allocator, int count) {
        int[] handles = new int[count];
        for (int i = 0; i < count; i++) {
            handles[i] = allocator.allocate(32);
        }
        return handles;
    }

    private static int sessionBuffer(Allocator allocator) {
        return allocator.allocateOrThrow(200, 16);
    }

    @Test
    void blocksAreGroupedBySiteWithTheirCountsAndBytesLargestFirst() {
        LeakTracker allocator = LeakTracker.track(allocator(8192), LeakTracker.Level.EVERY);
        int[] cache = cacheEntries(allocator, 5);
        int session = sessionBuffer(allocator);
        int other = sessionBuffer(allocator);
        allocator.free(other + 40);       // an offset inside the block
        allocator.free(cache[1]);

        LeakReport report = allocator.report();

        assertEquals(5, report.liveBlocks());
        assertEquals(5, report.trackedBlocks());
        assertEquals(4 * 32 + 200, report.trackedBytes());
        assertEquals(2, report.sites().size(), report::toText);
        assertEquals("sessionBuffer", report.sites().get(0).frames().get(0).getMethodName()); // 200 bytes first
        assertEquals(List.of(session), report.sites().get(0).handles());
        assertEquals("blocksAreGroupedBySiteWithTheirCountsAndBytesLargestFirst",
                report.sites().get(0).frames().get(1).getMethodName());
        assertEquals("cacheEntries", report.sites().get(1).frames().get(0).getMethodName());
        assertEquals(List.of(cache[0], cache[2], cache[3], cache[4]), report.sites().get(1).handles());
        assertEquals(128, report.sites().get(1).bytes());
        String text = report.toText();
        assertTrue(text.startsWith("5 live blocks tracked (328 bytes) at 2 allocation sites, of 5 live blocks in all;"
                + " level EVERY\n  1 block, 200 bytes (handle " + session + "), allocated at\n    "
                + LeakTrackerTest.class.getName() + ".sessionBuffer(LeakTrackerTest.java:"), text);
        assertTrue(text.contains("\n  4 blocks, 128 bytes (handles " + cache[0] + ", " + cache[2] + ", " + cache[3]
                + ", " + cache[4] + "), allocated at\n    " + LeakTrackerTest.class.getName()
                + ".cacheEntries(LeakTrackerTest.java:"), text);
    }

    @Test
    void aReallocatedBlockKeepsItsSiteUnderItsNewHandleAndSize() {
        LeakTracker allocator = LeakTracker.track(allocator(1024), LeakTracker.Level.EVERY);
        int first = sessionBuffer(allocator);
        int wall = allocator.allocate(8);
        int moved = allocator.reallocate(first, 400);
        assertTrue(moved != first && moved != Allocator.NULL, "moved to " + moved);
        allocator.free(wall);

        LeakReport report = allocator.report();

        assertEquals(1, report.sites().size(), report::toText);
        assertEquals(List.of(moved), report.sites().get(0).handles());
        assertEquals(400, report.sites().get(0).bytes());
        assertEquals("sessionBuffer", report.sites().get(0).frames().get(0).getMethodName());
        assertEquals(Optional.empty(), allocator.allocationSite(first));
    }

    @Test
    void freeingTheAlignmentPaddingBeforeAHandleDropsTheBlocksRecord() {
        LeakTracker allocator = LeakTracker.track(allocator(1024), LeakTracker.Level.EVERY);
        int aligned = allocator.allocate(8, 64);     // entry payload at 4, handle 64
        assertEquals(64, aligned);
        allocator.free(12);
        assertTrue(allocator.report().isEmpty(), () -> allocator.report().toText());
    }

    @Test
    void aStackDepthLimitsTheFramesKept() {
        LeakTracker allocator = LeakTracker.builder(allocator(1024)).level(LeakTracker.Level.EVERY).stackDepth(2)
                .build();
        int handle = sessionBuffer(allocator);
        assertEquals(2, allocator.allocationSite(handle).orElseThrow().size());
    }

    @Test
    void offTracksNothingAndSampledTracksAboutOneAllocationInTheInterval() {
        LeakTracker off = LeakTracker.track(allocator(1 << 16), LeakTracker.Level.OFF);
        for (int i = 0; i < 100; i++) {
            off.allocate(16);
        }
        assertEquals(0, off.samplingInterval());
        assertEquals(100, off.report().liveBlocks());
        assertTrue(off.report().isEmpty());

        LeakTracker sampled = LeakTracker.builder(allocator(1 << 20)).samplingInterval(8).build();
        assertEquals(LeakTracker.Level.SAMPLED, sampled.level());
        for (int i = 0; i < 8000; i++) {
            sampled.allocate(16);
        }
        LeakReport report = sampled.report();
        // 1000 expected, standard deviation about 30
        assertTrue(report.trackedBlocks() > 800 && report.trackedBlocks() < 1200, report.trackedBlocks() + " tracked");
        assertTrue(report.toText().contains("; level SAMPLED (1 in 8 allocations tracked)\n"), report::toText);
    }

    @Test
    void offMakesNoObjectOnAllocateAndFree() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);
        LeakTracker allocator = LeakTracker.track(allocator(1 << 16), LeakTracker.Level.OFF);
        int[] handles = new int[64];
        churn(allocator, handles, 20_000); // warm up: class loading, JIT
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least > 64; attempt++) {
            // the JIT's own work may show up once; an object per operation would be 16 x 20,000 bytes or more
            long before = counter.getThreadAllocatedBytes(id);
            churn(allocator, handles, 20_000);
            least = Math.min(least, counter.getThreadAllocatedBytes(id) - before);
        }
        assertEquals(0, Math.max(0, least - 64), least + " bytes allocated by 20,000 operations");
    }

    private static void churn(Allocator allocator, int[] handles, int rounds) {
        int seed = 12345;
        for (int i = 0; i < rounds; i++) {
            seed = seed * 1_103_515_245 + 12_345;
            int slot = (seed >>> 16) & 63;
            if (handles[slot] > 0) {
                allocator.free(handles[slot]);
                handles[slot] = 0;
            } else {
                int handle = allocator.allocate((seed >>> 20) & 255, 1 << ((seed >>> 4) & 3));
                handles[slot] = handle > 0 ? handle : 0;
            }
        }
    }

    /**
     * Random allocations (some aligned), frees by handle, by an offset inside the block or in its padding,
     * and reallocations, over both fits and coalescings: after every 50 steps the report's handles and bytes
     * are exactly the live blocks a reference model holds.
     */
    @ParameterizedTest
    @EnumSource(Coalescing.class)
    void theReportFollowsEveryFreeAndReallocationOfARandomWorkload(Coalescing coalescing) {
        for (Fit fit : Fit.values()) {
            long seed = 0x1EA4_0000L + coalescing.ordinal() * 2 + fit.ordinal();
            SplittableRandom random = new SplittableRandom(seed);
            FirstFitAllocator plain = FirstFitAllocator.builder(RawHeaps.allocate(8192)).fit(fit)
                    .coalescing(coalescing).criticalSection(new PlainSection()).build();
            LeakTracker allocator = LeakTracker.track(plain, LeakTracker.Level.EVERY);
            TreeMap<Integer, Integer> live = new TreeMap<>(); // handle -> requested size
            for (int step = 0; step < 3000; step++) {
                int choice = random.nextInt(10);
                if (live.isEmpty() || choice < 4) {
                    int size = random.nextInt(0, 300);
                    int handle = allocator.allocate(size, 1 << random.nextInt(7));
                    if (handle != Allocator.NULL) {
                        live.put(handle, size);
                    }
                } else if (choice < 8) {
                    List<Integer> handles = new ArrayList<>(live.keySet());
                    int handle = handles.get(random.nextInt(handles.size()));
                    int offset = random.nextBoolean() ? handle : handle + random.nextInt(allocator.usableSize(handle));
                    if (random.nextInt(4) == 0) {
                        // the first offset of the entry's payload: in the padding of an aligned block
                        offset = entryPayloadHolding(plain, handle);
                    }
                    allocator.free(offset);
                    live.remove(handle);
                } else {
                    List<Integer> handles = new ArrayList<>(live.keySet());
                    int handle = handles.get(random.nextInt(handles.size()));
                    // 1 or more: a reallocation to 0 bytes of a handle past its entry's payload start can leave
                    // the handle on the next header (see the report of this change), which is not this test's
                    int size = random.nextInt(1, 400);
                    int moved = allocator.reallocate(handle, size, random.nextBoolean() ? 1 : 16);
                    if (moved != Allocator.NULL) {
                        live.remove(handle);
                        live.put(moved, size);
                    }
                }
                if (step % 50 == 0 || step == 2999) {
                    LeakReport report = allocator.report();
                    List<Integer> reported = new ArrayList<>();
                    report.sites().forEach(site -> reported.addAll(site.handles()));
                    reported.sort(null);
                    assertEquals(new ArrayList<>(live.keySet()), reported, "seed " + seed + " step " + step);
                    assertEquals(live.values().stream().mapToLong(Integer::longValue).sum(), report.trackedBytes(),
                            "seed " + seed + " step " + step);
                    assertEquals(live.size(), report.liveBlocks(), "seed " + seed + " step " + step);
                }
            }
        }
    }

    /** The payload offset of the entry that holds {@code handle}, found by walking the heap. */
    static int entryPayloadHolding(Allocator allocator, int handle) {
        int[] found = {Allocator.NULL};
        allocator.walk((offset, used, size) -> {
            if (handle >= offset + 4 && handle < offset + 4 + size) {
                found[0] = offset + 4;
            }
        });
        return found[0];
    }
}
