package io.github.emballoc.testkit;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Counts the bytes the current thread allocates on the Java heap, through HotSpot's per-thread allocation
 * counter. Where the JVM offers no such counter the tests that use it are skipped, with the reason shown.
 */
final class AllocationMeter {

    /** Warm-up rounds before measuring, so that class loading and linkage are not counted. */
    static final int WARM_UP = 20_000;

    private final com.sun.management.ThreadMXBean threads;

    private AllocationMeter(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /**
     * Returns a meter, or skips the calling test when this JVM cannot count allocated bytes per thread.
     */
    static AllocationMeter orSkip() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM has no com.sun.management.ThreadMXBean to count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        return new AllocationMeter(threads);
    }

    /** Returns the bytes the current thread has allocated so far. */
    long allocatedBytes() {
        return threads.getCurrentThreadAllocatedBytes();
    }
}
