package io.github.emballoc.cli;

import io.github.emballoc.api.CriticalSection;
import io.github.emballoc.api.CriticalSectionProvider;

/**
 * Broken critical-section providers for {@link ProvidersCommandTest}, public with public no-argument
 * constructors so that {@link java.util.ServiceLoader} makes them from a service file the test writes.
 */
public final class BrokenProviders {

    private BrokenProviders() {
    }

    /** Named, prioritised and making nothing usable: the subclasses break one method each. */
    abstract static class Base implements CriticalSectionProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public int priority() {
            return 1_000;
        }

        @Override
        public CriticalSection create() {
            throw new UnsupportedOperationException("never chosen in these tests");
        }
    }

    /** A provider built against another version of the interface: {@code name()} is missing. */
    public static final class NameMissing extends Base {
        static final String WHY = "name() is abstract in this build, on purpose";

        @Override
        public String name() {
            throw new AbstractMethodError(WHY);
        }
    }

    /** A provider with a bug: {@code priority()} fails an assertion. */
    public static final class PriorityAsserts extends Base {
        static final String WHY = "priority() fails an assertion, on purpose";

        @Override
        public int priority() {
            throw new AssertionError(WHY);
        }
    }

    /** A provider that cannot be made: its constructor throws. */
    public static final class ConstructorThrows extends Base {
        static final String WHY = "refuses to be made, on purpose";

        public ConstructorThrows() {
            throw new IllegalStateException(WHY);
        }
    }
}
