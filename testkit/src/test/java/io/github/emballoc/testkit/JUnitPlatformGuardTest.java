package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard that a runner without JUnit Platform support calls instead of the rules (Surefire 2.12's POJO
 * provider; src/it/user-surefire-2.12 runs it there). JUnit Jupiter never calls it: every contract adapter
 * in ContractTeethTest that must pass all its rules would fail if it did.
 */
class JUnitPlatformGuardTest {

    /** A user's adapter, public as the POJO provider needs it. */
    public static class PublicHeapTest implements RawHeapContract {
        @Override
        public RawHeap newHeap(int capacity) {
            return RawHeaps.allocate(capacity);
        }
    }

    @Test
    void theGuardFailsNamingTheTestClassAndTheSurefireVersionToUse() {
        AssertionError e = assertThrows(AssertionError.class, () -> new PublicHeapTest().testkitNeedsJUnitPlatform());
        String message = e.getMessage();
        assertTrue(message.startsWith(PublicHeapTest.class.getName() + " implements an emballoc-testkit contract"),
                message);
        assertTrue(message.contains("declare maven-surefire-plugin 3.5.2"), message);
    }

    @Test
    void everyContractCarriesTheGuard() {
        for (Class<?> contract : List.of(RawHeapContract.class, AllocatorContract.class, CriticalSectionContract.class,
                EmballocCompatibilityContract.class)) {
            assertTrue(JUnitPlatformGuard.class.isAssignableFrom(contract),
                    contract.getSimpleName() + " does not extend JUnitPlatformGuard: under Surefire 2.12 a test of it "
                            + "would pass with no rule run");
        }
    }
}
