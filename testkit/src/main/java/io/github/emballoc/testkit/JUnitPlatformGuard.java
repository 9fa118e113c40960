package io.github.emballoc.testkit;

/**
 * Makes a contract fail loudly, instead of passing silently, when the project's test runner cannot run
 * JUnit Platform tests. Every contract extends it; a user never implements it directly.
 *
 * <p>Design note. The contracts' rules are JUnit Jupiter tests: default methods annotated with
 * {@code @Test}. A runner without JUnit Platform support sees none of them, and a build that runs no test
 * passes. The case that matters is Maven 3.8, whose default {@code maven-surefire-plugin} is 2.12.4: with
 * no JUnit 4 on the test class path it falls back to its "POJO" provider, which runs every public,
 * parameterless method whose name starts with {@code test} of every public class named {@code *Test}
 * (or {@code Test*}, {@code *TestCase}) that has a public no-argument constructor. The one method below is
 * such a method, and JUnit Jupiter ignores it (it has no {@code @Test}), so it runs exactly when the rules
 * cannot, and fails naming the Surefire version to use. What it cannot reach: a package-private test class
 * and a {@code @Nested} class (the POJO provider skips both), and a project with JUnit 4 on its test class
 * path under Surefire 2.12 (the JUnit 4 provider runs only JUnit 4 tests). For those, the README's
 * Surefire version is the only remedy.
 */
public interface JUnitPlatformGuard {

    /**
     * Never returns: called only by a test runner that does not run JUnit Platform tests (JUnit Jupiter
     * does not call it), it fails the build with what to change. Its name starts with {@code test} so that
     * such a runner calls it.
     *
     * @throws AssertionError always, naming the test class and the {@code maven-surefire-plugin} version
     *     to use
     */
    default void testkitNeedsJUnitPlatform() {
        throw new AssertionError(getClass().getName() + " implements an emballoc-testkit contract, whose rules"
                + " are JUnit Jupiter tests, but this test runner cannot run JUnit Platform tests and would skip"
                + " every rule. Maven before 3.9 runs tests with maven-surefire-plugin 2.12.4, such a runner:"
                + " declare maven-surefire-plugin 3.5.2 (JUnit Platform needs 2.22.0 or newer) in the"
                + " <build><plugins> of your pom.xml.");
    }
}
