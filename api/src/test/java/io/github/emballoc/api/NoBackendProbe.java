package io.github.emballoc.api;

/**
 * The main class of the child JVM of {@code CriticalSectionsTest}'s test with no SLF4J backend: selects a
 * provider (through the class path the test gives it) and prints which one was chosen and which were skipped.
 */
public final class NoBackendProbe {

    private NoBackendProbe() {
    }

    /**
     * Selects and prints {@code chosen=NAME} and {@code skipped=N}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        CriticalSections.Selection selection = CriticalSections.select();
        System.out.println("chosen=" + selection.chosen().name());
        System.out.println("skipped=" + selection.skipped().size());
    }
}
