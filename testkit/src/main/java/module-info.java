/**
 * The emballoc conformance test kit: JUnit Jupiter contracts that any {@link io.github.emballoc.api.RawHeap},
 * {@link io.github.emballoc.api.Allocator} or {@link io.github.emballoc.api.CriticalSection} runs by
 * implementing one factory method ({@link io.github.emballoc.testkit.RawHeapContract},
 * {@link io.github.emballoc.testkit.AllocatorContract}, {@link io.github.emballoc.testkit.CriticalSectionContract},
 * {@link io.github.emballoc.testkit.EmballocCompatibilityContract},
 * {@link io.github.emballoc.testkit.CrashConsistencyContract}).
 */
module io.github.emballoc.testkit {
    requires transitive io.github.emballoc.api;
    requires transitive org.junit.jupiter.api;
    requires com.google.common;
    requires java.management;
    requires jdk.management;

    exports io.github.emballoc.testkit;
    // JUnit reads and calls the contracts' default test methods reflectively.
    opens io.github.emballoc.testkit to org.junit.platform.commons;
}
