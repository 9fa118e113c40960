package io.github.emballoc.api;

/**
 * Receives the entries of a heap, one call per entry, in walk order ({@link Allocator#walk}).
 * Entries are passed as three primitives so that a walk makes no object per entry.
 *
 * <p>Threads: an allocator calls the visitor on the thread that called {@code walk}, inside the
 * allocator's critical section. The visitor must not call back into the same allocator (the critical
 * section refuses re-entry with {@link IllegalStateException}).
 */
@FunctionalInterface
public interface EntryVisitor {

    /**
     * Receives one entry.
     *
     * @param offset the offset of the entry's header, relative to the start of the heap
     * @param used whether the entry is a used block ({@code false}: a free one)
     * @param size the entry's payload size in bytes (header excluded)
     */
    void visit(int offset, boolean used, int size);
}
