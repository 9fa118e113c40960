package io.github.emballoc.firstfit.crash;

/** The kill test of {@code FirstFitAllocator}. */
class FirstFitKillTest extends KillTest {

    @Override
    protected String allocatorClass() {
        return "io.github.emballoc.firstfit.FirstFitAllocator";
    }
}
