package io.github.emballoc.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * Finds the {@link CriticalSectionProvider}s present (through {@link ServiceLoader}, on the class path and
 * the module path) and chooses one, by these rules:
 * <ol>
 *   <li>If the system property {@value #PROPERTY} is set (and not blank), the provider of that name is
 *       chosen; if none has that name, {@link IllegalStateException} lists the names available.</li>
 *   <li>Otherwise the provider with the highest {@link CriticalSectionProvider#priority() priority} is
 *       chosen, ties broken by {@link CriticalSectionProvider#name() name} (the lowest in {@link String#compareTo} order wins), never
 *       by class-path order. The standard ones are {@code cas} (100) and {@code single-core} (0).</li>
 *   <li>If no provider is found, {@link IllegalStateException} names both standard artifacts and when to
 *       pick which.</li>
 *   <li>A provider that fails to load or to instantiate, or whose {@code name()} or {@code priority()}
 *       throws (a {@link RuntimeException}, or a {@link LinkageError} such as a provider built against another
 *       version of this interface), or whose name is blank, is skipped with a warning naming it and the
 *       cause. Two providers with the same name are an error ({@link IllegalStateException} naming both
 *       classes).</li>
 * </ol>
 * A skipped provider is reported however logging is set up: the warning goes to SLF4J or, when SLF4J has no
 * backend (and would drop it), to the JDK's {@link System.Logger} (by default {@code java.util.logging},
 * which prints warnings on standard error); it is listed in {@link Selection#skipped()}; and every
 * {@link IllegalStateException} of the selection ends with the skipped providers and their causes, so a
 * provider that was meant to be chosen and failed is named in the error that its absence causes.
 * The choice and the alternatives are logged at debug level whenever the choice differs from the last one
 * logged (so once, in a program that does not change the property).
 *
 * <p>Where providers are looked up: through the calling thread's context class loader, and then through the
 * class loader of this library when that is another loader (or when the thread has no context loader), so
 * that a thread whose context loader cannot see the providers (a pool thread in a container, a thread with a
 * foreign context loader) still finds those that sit beside this library. A provider class found through
 * both loaders counts once (the copy of the context loader is kept), and a provider that fails to load
 * through both is reported once.
 *
 * <p>Threads: every method may be called from any thread. Providers are looked up again on every call, so a
 * call costs a class-path scan: make one section per allocator, not one per operation.
 */
public final class CriticalSections {

    /** The system property that names the provider to use, for example {@code -Demballoc.critical-section=cas}. */
    public static final String PROPERTY = "emballoc.critical-section";

    private static final Logger LOG = LoggerFactory.getLogger(CriticalSections.class);

    private static final Comparator<CriticalSectionProvider> ORDER =
            Comparator.comparingInt(CriticalSectionProvider::priority).reversed()
                    .thenComparing(CriticalSectionProvider::name);

    /**
     * A bound on providers that fail to load, so that an iterator that fails without advancing (a custom
     * one: ServiceLoader's always advances) cannot loop forever.
     */
    private static final int MAX_LOAD_FAILURES = 1000;

    private static volatile String lastLogged;

    private CriticalSections() {
    }

    /**
     * Makes a new section from the chosen provider.
     *
     * @return a new, unentered section, never {@code null}
     * @throws IllegalStateException if no provider can be chosen (see the rules above), or if the chosen
     *     provider's {@link CriticalSectionProvider#create() create()} returns {@code null} or throws (the
     *     message names the provider; what it threw is the cause)
     */
    public static CriticalSection create() {
        CriticalSectionProvider provider = chosen();
        CriticalSection section;
        try {
            section = provider.create();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("critical section provider '" + provider.name() + "' ("
                    + provider.getClass().getName() + ") failed to make a section: " + e, e);
        }
        if (section == null) {
            throw new IllegalStateException("critical section provider '" + provider.name() + "' ("
                    + provider.getClass().getName() + ") returned null from create()");
        }
        return section;
    }

    /**
     * Returns the provider the rules choose.
     *
     * @return the chosen provider
     * @throws IllegalStateException if no provider can be chosen (see the rules above)
     */
    public static CriticalSectionProvider chosen() {
        return select().chosen();
    }

    /**
     * Returns every provider that loaded, highest priority first, ties by name.
     *
     * @return an unmodifiable list, possibly empty
     * @throws IllegalStateException if two providers have the same name
     */
    public static List<CriticalSectionProvider> available() {
        return discover(lookup()).available;
    }

    /**
     * Applies the rules to the providers found through {@link ServiceLoader} (with the context class loader,
     * then this library's loader, as described above) and the system property {@value #PROPERTY}.
     *
     * @return the choice, the alternatives and the reason
     * @throws IllegalStateException if no provider can be chosen (see the rules above)
     */
    public static Selection select() {
        return select(lookup(), System.getProperty(PROPERTY));
    }

    /**
     * Applies the rules to the given candidates. This is the whole selection logic, open for tests and for
     * hosts that load plug-ins their own way; an iterator that throws {@link ServiceConfigurationError} for a
     * candidate (as {@link ServiceLoader}'s does) has that candidate skipped with a warning.
     *
     * @param candidates the providers to choose from, for example a {@link ServiceLoader}
     * @param requestedName the name asked for (the value of {@value #PROPERTY}), or {@code null} or blank
     *     for none
     * @return the choice, the alternatives and the reason
     * @throws IllegalStateException if no provider can be chosen (see the rules above)
     */
    public static Selection select(Iterable<? extends CriticalSectionProvider> candidates, String requestedName) {
        Objects.requireNonNull(candidates, "candidates");
        Discovery found = discover(candidates);
        List<CriticalSectionProvider> available = found.available;
        if (requestedName != null && !requestedName.isBlank()) {
            String wanted = requestedName.strip();
            for (CriticalSectionProvider provider : available) {
                if (provider.name().equals(wanted)) {
                    return logged(new Selection(provider, Reason.PROPERTY, available, found.skipped));
                }
            }
            throw new IllegalStateException("system property " + PROPERTY + " names the critical section '"
                    + wanted + "', but " + (available.isEmpty() ? "no provider is available"
                    : "the providers available are: " + names(available)) + skippedSuffix(found.skipped));
        }
        if (available.isEmpty()) {
            throw new IllegalStateException("no " + CriticalSectionProvider.class.getName()
                    + " found on the class path or module path" + skippedSuffix(found.skipped)
                    + ". Add io.github.emballoc:emballoc-lock-cas (a spin lock, for allocators shared between"
                    + " threads) or io.github.emballoc:emballoc-lock-single-core (no atomic instructions, for"
                    + " allocators used from one thread only)");
        }
        return logged(new Selection(available.get(0), Reason.PRIORITY, available, found.skipped));
    }

    private static Selection logged(Selection selection) {
        if (LOG.isDebugEnabled()) {
            String summary = selection.chosen().name() + " by " + selection.reason() + " among "
                    + names(selection.available());
            if (!summary.equals(lastLogged)) {
                lastLogged = summary;
                LOG.debug("critical section provider {} chosen by {}; available: {}", selection.chosen().name(),
                        selection.reason() == Reason.PROPERTY ? "system property " + PROPERTY : "priority",
                        describe(selection.available()));
            }
        }
        return selection;
    }

    private static Discovery discover(Iterable<? extends CriticalSectionProvider> candidates) {
        List<CriticalSectionProvider> providers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Iterator<? extends CriticalSectionProvider> it = candidates.iterator();
        int failures = 0;
        String duplicate = null;
        while (true) {
            CriticalSectionProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                if (++failures > MAX_LOAD_FAILURES) {
                    throw new IllegalStateException("more than " + MAX_LOAD_FAILURES + " critical section providers"
                            + " failed to load; the last: " + e, e);
                }
                String what = "a provider that failed to load: " + e
                        + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : "");
                if (!skipped.contains(what)) { // the same failure, met again through the library's own loader
                    skipped.add(what);
                    warnSkipped("skipping critical section provider: " + what, e);
                }
                continue;
            }
            String name;
            try {
                name = provider.name();
                provider.priority();
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: a provider built against another version of this interface, or missing a class
                // it needs, must not break the selection for every other provider.
                String what = provider.getClass().getName() + " (name() or priority() threw " + e + ")";
                skipped.add(what);
                warnSkipped("skipping critical section provider " + what, e);
                continue;
            }
            if (name == null || name.isBlank()) {
                String what = provider.getClass().getName() + " (its name is empty)";
                skipped.add(what);
                warnSkipped("skipping critical section provider " + what, null);
                continue;
            }
            for (CriticalSectionProvider other : providers) {
                if (other.name().equals(name) && duplicate == null) {
                    // reported after the whole look-up, so that the error also names every skipped provider
                    duplicate = "two critical section providers are named '" + name + "': "
                            + other.getClass().getName() + " and " + provider.getClass().getName()
                            + "; remove one of them from the class path or module path";
                }
            }
            providers.add(provider);
        }
        if (duplicate != null) {
            throw new IllegalStateException(duplicate + skippedSuffix(skipped));
        }
        providers.sort(ORDER);
        return new Discovery(List.copyOf(providers), List.copyOf(skipped));
    }

    /**
     * Warns through SLF4J or, when SLF4J has no backend (it then drops every message), through the JDK's
     * {@link System.Logger}, so that a skipped provider is never reported to nobody.
     */
    private static void warnSkipped(String message, Throwable cause) {
        if (LOG instanceof NOPLogger) {
            System.getLogger(CriticalSections.class.getName()).log(System.Logger.Level.WARNING, message, cause);
        } else {
            LOG.warn(message, cause);
        }
    }

    /**
     * The providers of the context class loader, then those of this library's loader if that is another
     * loader, each class name once.
     */
    private static Iterable<CriticalSectionProvider> lookup() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = CriticalSections.class.getClassLoader();
        if (context == null || context == own) {
            return ServiceLoader.load(CriticalSectionProvider.class, own);
        }
        List<ServiceLoader<CriticalSectionProvider>> loaders = List.of(
                ServiceLoader.load(CriticalSectionProvider.class, context),
                ServiceLoader.load(CriticalSectionProvider.class, own));
        return () -> new ClassNameOnce(loaders);
    }

    /**
     * Iterates several service loaders in turn, skipping a provider whose class name an earlier one gave. A
     * failure of the underlying iterator is passed on, and iteration can go on after it (as with
     * {@link ServiceLoader}'s own iterator).
     */
    private static final class ClassNameOnce implements Iterator<CriticalSectionProvider> {
        private final List<Iterator<CriticalSectionProvider>> sources = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private int source;
        private CriticalSectionProvider pending;

        ClassNameOnce(List<ServiceLoader<CriticalSectionProvider>> loaders) {
            for (ServiceLoader<CriticalSectionProvider> loader : loaders) {
                sources.add(loader.iterator());
            }
        }

        @Override
        public boolean hasNext() {
            while (pending == null) {
                if (source == sources.size()) {
                    return false;
                }
                Iterator<CriticalSectionProvider> it = sources.get(source);
                if (!it.hasNext()) {
                    source++;
                    continue;
                }
                CriticalSectionProvider provider = it.next();
                if (seen.add(provider.getClass().getName())) {
                    pending = provider;
                }
            }
            return true;
        }

        @Override
        public CriticalSectionProvider next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            CriticalSectionProvider next = pending;
            pending = null;
            return next;
        }
    }

    private static String names(List<CriticalSectionProvider> providers) {
        StringJoiner joiner = new StringJoiner(", ");
        for (CriticalSectionProvider provider : providers) {
            joiner.add(provider.name());
        }
        return joiner.toString();
    }

    private static String describe(List<CriticalSectionProvider> providers) {
        StringJoiner joiner = new StringJoiner(", ");
        for (CriticalSectionProvider provider : providers) {
            joiner.add(provider.name() + " (priority " + provider.priority() + ", " + provider.getClass().getName() + ")");
        }
        return joiner.toString();
    }

    private static String skippedSuffix(List<String> skipped) {
        return skipped.isEmpty() ? "" : " (skipped: " + String.join("; ", skipped) + ")";
    }

    private static final class Discovery {
        final List<CriticalSectionProvider> available;
        final List<String> skipped;

        Discovery(List<CriticalSectionProvider> available, List<String> skipped) {
            this.available = available;
            this.skipped = skipped;
        }
    }

    /** Why a provider was chosen. */
    public enum Reason {
        /** The system property {@value CriticalSections#PROPERTY} named it. */
        PROPERTY,
        /** It had the highest priority (ties broken by name). */
        PRIORITY
    }

    /**
     * The outcome of applying the rules.
     *
     * @param chosen the provider chosen
     * @param reason why it was chosen
     * @param available every provider that loaded, highest priority first, ties by name
     * @param skipped one description per provider that failed to load or instantiate, with the cause
     */
    public record Selection(CriticalSectionProvider chosen, Reason reason, List<CriticalSectionProvider> available,
                            List<String> skipped) {

        /**
         * Checks and copies the parts.
         *
         * @param chosen the provider chosen
         * @param reason why it was chosen
         * @param available every provider that loaded
         * @param skipped the providers skipped, with causes
         * @throws NullPointerException if any part is {@code null}
         */
        public Selection {
            Objects.requireNonNull(chosen, "chosen");
            Objects.requireNonNull(reason, "reason");
            available = List.copyOf(available);
            skipped = List.copyOf(skipped);
        }
    }
}
