package io.github.emballoc.api;

/**
 * Providers for {@link CriticalSectionsTest}, public with public no-argument constructors so that
 * {@link java.util.ServiceLoader} can make them from a {@code META-INF/services} file the test writes.
 * Their sections are markers that only say which provider made them; they are never entered.
 */
public final class SelectionTestProviders {

    private SelectionTestProviders() {
    }

    /** A section that records its maker and refuses to be used: selection tests only look at where it came from. */
    record MarkerSection(String madeBy) implements CriticalSection {

        @Override
        public void enter() {
            throw new UnsupportedOperationException("a marker made by " + madeBy + " is not a real section");
        }

        @Override
        public void exit() {
            throw new UnsupportedOperationException("a marker made by " + madeBy + " is not a real section");
        }
    }

    /** A provider with a given name and priority. */
    public static class Fixed implements CriticalSectionProvider {
        private final String name;
        private final int priority;

        Fixed(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public CriticalSection create() {
            return new MarkerSection(name);
        }

        @Override
        public String toString() {
            return name + "(" + priority + ")";
        }
    }

    /** {@code alpha}, priority 10. */
    public static final class Alpha extends Fixed {
        public Alpha() {
            super("alpha", 10);
        }
    }

    /** {@code beta}, priority 10. */
    public static final class Beta extends Fixed {
        public Beta() {
            super("beta", 10);
        }
    }

    /** {@code gamma}, priority 10. */
    public static final class Gamma extends Fixed {
        public Gamma() {
            super("gamma", 10);
        }
    }

    /** {@code top}, priority 50. */
    public static final class Top extends Fixed {
        public Top() {
            super("top", 50);
        }
    }

    /** {@code bottom}, priority -5. */
    public static final class Bottom extends Fixed {
        public Bottom() {
            super("bottom", -5);
        }
    }

    /** {@code twin}, priority 1. */
    public static final class TwinOne extends Fixed {
        public TwinOne() {
            super("twin", 1);
        }
    }

    /** Also {@code twin}, priority 2. */
    public static final class TwinTwo extends Fixed {
        public TwinTwo() {
            super("twin", 2);
        }
    }

    /** A provider whose constructor throws, as one whose environment is missing something would. */
    public static final class ConstructorThrows extends Fixed {
        static final String WHY = "refuses to be made, on purpose";

        public ConstructorThrows() {
            super("never", 1_000);
            throw new IllegalStateException(WHY);
        }
    }

    /** A provider whose {@code name()} throws. */
    public static final class NameThrows extends Fixed {
        static final String WHY = "has no name, on purpose";

        public NameThrows() {
            super("unused", 1_000);
        }

        @Override
        public String name() {
            throw new IllegalStateException(WHY);
        }
    }

    /** A provider whose name is blank. */
    public static final class BlankName extends Fixed {
        public BlankName() {
            super("  ", 1_000);
        }
    }

    /** A provider whose {@code name()} throws a {@link LinkageError}, as one built against another API would. */
    public static final class NameLinkageError extends Fixed {
        static final String WHY = "io.github.emballoc.api.CriticalSectionProvider.name() missing, on purpose";

        public NameLinkageError() {
            super("unused", 1_000);
        }

        @Override
        public String name() {
            throw new AbstractMethodError(WHY);
        }
    }

    /** A provider whose {@code priority()} needs a class that is missing. */
    public static final class PriorityLinkageError extends Fixed {
        static final String WHY = "com/example/MissingOptionalDependency";

        public PriorityLinkageError() {
            super("lacking", 1_000);
        }

        @Override
        public int priority() {
            throw new NoClassDefFoundError(WHY);
        }
    }

    /** {@code nothing}, priority 10, whose {@code create()} returns {@code null}. */
    public static final class CreatesNull extends Fixed {
        public CreatesNull() {
            super("nothing", 10);
        }

        @Override
        public CriticalSection create() {
            return null;
        }
    }

    /** {@code failing}, priority 10, whose {@code create()} throws. */
    public static final class CreateThrows extends Fixed {
        static final String WHY = "cannot make a section here, on purpose";

        public CreateThrows() {
            super("failing", 10);
        }

        @Override
        public CriticalSection create() {
            throw new UnsupportedOperationException(WHY);
        }
    }
}
