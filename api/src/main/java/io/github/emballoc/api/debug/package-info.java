/**
 * Debugging decorators for any {@link io.github.emballoc.api.Allocator}: they wrap an allocator, pass every
 * call on, and add what a program needs to find its memory bugs, without changing the heap image (it stays
 * emballoc's) or the results of the calls.
 *
 * <ul>
 *   <li>{@link io.github.emballoc.api.debug.LeakTracker}: remembers where each live block was allocated (every
 *       block, a sampled share, or none) and reports the live blocks grouped by allocation site
 *       ({@link io.github.emballoc.api.debug.LeakReport}).</li>
 * </ul>
 *
 * Decorators stack, and every call must go through the outermost one: a block freed behind a decorator's
 * back leaves it with a stale record.
 */
package io.github.emballoc.api.debug;
