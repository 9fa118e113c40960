package io.github.emballoc.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a contract adapter class through the JUnit Platform Launcher and reports, per test method (dynamic
 * tests folded into their factory), whether it passed, failed or was skipped.
 */
final class ContractRunner {

    /** What happened to each test method of one class. */
    static final class Outcome {
        final String testClass;
        final Map<String, Throwable> failed = new TreeMap<>();
        final Set<String> passed = new TreeSet<>();
        final Map<String, String> skipped = new TreeMap<>();

        Outcome(String testClass) {
            this.testClass = testClass;
        }

        /** Fails unless every test ran and passed (at least {@code atLeast} of them). */
        Outcome assertAllPassed(int atLeast) {
            if (!failed.isEmpty()) {
                Map.Entry<String, Throwable> first = failed.entrySet().iterator().next();
                throw new AssertionError(testClass + ": a correct implementation failed " + failed.keySet()
                        + "; the first: " + first.getKey() + ": " + first.getValue(), first.getValue());
            }
            assertTrue(passed.size() >= atLeast, testClass + ": expected at least " + atLeast
                    + " passing tests, got " + passed + " (skipped " + skipped + ")");
            return this;
        }

        /** Fails unless each of {@code methods} failed. */
        Outcome assertCaughtBy(String... methods) {
            for (String method : methods) {
                if (!failed.containsKey(method)) {
                    fail(testClass + ": the broken implementation should fail " + method + ", but it "
                            + (passed.contains(method) ? "passed" : skipped.containsKey(method)
                            ? "was skipped: " + skipped.get(method) : "did not run") + "; failed: " + failed.keySet());
                }
            }
            return this;
        }

        /** Fails unless {@code method} was skipped with a reason containing {@code reason}. */
        Outcome assertSkipped(String method, String reason) {
            String actual = skipped.get(method);
            assertTrue(actual != null && actual.contains(reason), testClass + ": " + method
                    + " should be skipped naming '" + reason + "', skipped: " + skipped + ", failed: " + failed.keySet());
            return this;
        }

        String failureMessage(String method) {
            Throwable failure = failed.get(method);
            return failure == null ? null : String.valueOf(failure.getMessage());
        }
    }

    private ContractRunner() {
    }

    static Outcome run(Class<?> testClass) {
        Outcome outcome = new Outcome(testClass.getSimpleName());
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier test, String reason) {
                        String method = method(test);
                        if (method != null) {
                            outcome.skipped.put(method, reason);
                        }
                    }

                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        String method = method(test);
                        if (method == null) {
                            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                outcome.failed.put("(class " + test.getDisplayName() + ")",
                                        result.getThrowable().orElse(null));
                            }
                            return;
                        }
                        switch (result.getStatus()) {
                            case SUCCESSFUL -> {
                                if (!outcome.failed.containsKey(method)) {
                                    outcome.passed.add(method);
                                }
                            }
                            case ABORTED -> outcome.skipped.put(method,
                                    result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                            case FAILED -> {
                                outcome.passed.remove(method);
                                outcome.failed.putIfAbsent(method, result.getThrowable().orElse(null));
                            }
                        }
                    }
                });
        return outcome;
    }

    /** The name of the test method (or test factory) a test belongs to, or null for a container. */
    private static String method(TestIdentifier test) {
        UniqueId id = UniqueId.parse(test.getUniqueId());
        for (UniqueId.Segment segment : id.getSegments()) {
            if (segment.getType().equals("method") || segment.getType().equals("test-factory")) {
                String value = segment.getValue();
                int paren = value.indexOf('(');
                return paren < 0 ? value : value.substring(0, paren);
            }
        }
        return null;
    }
}
