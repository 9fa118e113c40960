package io.github.emballoc.indexed.crash;

import io.github.emballoc.firstfit.crash.KillTest;

/**
 * The kill test of {@code IndexedAllocator}: a child JVM running random operations on a mapped heap, killed at
 * random moments; each time the image must attach (the index is rebuilt from it) with every block the child
 * reported live intact. The harness is core-firstfit's ({@link KillTest}), from its test jar.
 */
class IndexedKillTest extends KillTest {

    @Override
    protected String allocatorClass() {
        return "io.github.emballoc.indexed.IndexedAllocator";
    }
}
