/**
 * Debugging decorators for any {@link io.github.emballoc.api.Allocator}: they wrap an allocator, pass every
 * call on, and add what a program needs to find its memory bugs, without changing the heap image (it stays
 * emballoc's) or the results of the calls.
 *
 * <ul>
 *   <li>{@link io.github.emballoc.api.debug.LeakTracker}: remembers where each live block was allocated (every
 *       block, a sampled share, or none) and reports the live blocks grouped by allocation site
 *       ({@link io.github.emballoc.api.debug.LeakReport}).</li>
 *   <li>{@link io.github.emballoc.api.debug.PoisoningAllocator}: fills freed payloads with a pattern and
 *       checks it when the space is handed out again or on {@code verify()}, and guards the bytes after each
 *       block's requested size, reporting a write after free or an overrun with the offset of the first
 *       changed byte and the block it belonged to
 *       ({@link io.github.emballoc.api.debug.PoisonViolation}).</li>
 * </ul>
 *
 * The decorators stack ({@code LeakTracker} over {@code PoisoningAllocator} over the allocator), and every
 * call must go through the outermost one: a block freed behind a decorator's back leaves it with a stale
 * record.
 */
package io.github.emballoc.api.debug;
