/**
 * Conformance contracts for emballoc's plug-in points.
 *
 * <p>Each contract is a JUnit Jupiter interface whose default methods are the tests. A user writes one
 * small test class that implements the contract's factory method, and the tests run with the rest of the
 * user's tests:
 * <pre>{@code
 * class MyHeapTest implements RawHeapContract {
 *     @Override
 *     public RawHeap newHeap(int capacity) {
 *         return new MyHeap(capacity);
 *     }
 * }
 * }</pre>
 *
 * <p>Every test is named after the numbered rule it checks ({@code H1..} heaps, {@code A1..} allocators,
 * {@code C1..} critical sections, {@code E1..} emballoc compatibility, {@code W1..} crash consistency), and its
 * documentation says what to look at when it fails. Behaviour that not every implementation has is declared by
 * the implementer ({@link io.github.emballoc.testkit.AllocatorFeature},
 * {@link io.github.emballoc.testkit.CriticalSectionFeature}); tests that need an undeclared feature are skipped,
 * and the skip names the feature.
 *
 * <p>{@link io.github.emballoc.testkit.AllocatorContract} covers every operation of an allocator, {@code usableSize},
 * {@code reallocate} (in place when it can), {@code coalesce()}, {@code free(NULL)}, bounded views and counts
 * included. {@link io.github.emballoc.testkit.CrashConsistencyContract} records every write of every operation
 * through a {@link io.github.emballoc.testkit.WriteRecordingHeap} and checks that every prefix of them, as a crash
 * would leave it, is an image a new allocator attaches to, with every live block intact and the operation done or
 * not done.
 *
 * <p>Random tests are seeded. A failure prints the seed, and the system properties
 * {@value io.github.emballoc.testkit.AllocatorContract#SEED_PROPERTY} and
 * {@value io.github.emballoc.testkit.CrashConsistencyContract#SEED_PROPERTY} replay one seed;
 * {@value io.github.emballoc.testkit.CrashConsistencyContract#OPERATIONS_PROPERTY} makes the crash contract's
 * sequences longer.
 */
package io.github.emballoc.testkit;
