/**
 * The allocator SPIs and the standard heaps.
 *
 * <ul>
 *   <li>{@link io.github.emballoc.api.RawHeap}: a fixed region of bytes with bounds-checked, ordered access;
 *       {@link io.github.emballoc.api.RawHeaps} makes the standard ones ({@code byte[]}, heap and direct
 *       {@link java.nio.ByteBuffer}, memory-mapped file); {@link io.github.emballoc.api.MappedHeap} is the
 *       mapped file, locked while open, and says what survives a crash.</li>
 *   <li>{@link io.github.emballoc.api.Allocator}: hands out and takes back blocks of a heap, by payload
 *       offset; {@link io.github.emballoc.api.HeapStats} and {@link io.github.emballoc.api.EntryVisitor}
 *       describe what it holds; {@link io.github.emballoc.api.DurableAllocator} forces the heap after every
 *       operation that changed it.</li>
 *   <li>{@link io.github.emballoc.api.CriticalSection}: the mutual exclusion an allocator runs its operations
 *       in, provided by plug-ins ({@link io.github.emballoc.api.CriticalSectionProvider}) and chosen by
 *       {@link io.github.emballoc.api.CriticalSections}.</li>
 *   <li>{@link io.github.emballoc.api.HeapException} and its subclasses: what an allocator reports.</li>
 * </ul>
 */
package io.github.emballoc.api;
