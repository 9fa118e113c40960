package io.github.emballoc.cli;

import java.util.Locale;

/** How an allocator finds its entries: the choice of {@code --strategy}. */
enum Strategy {
    /** {@code FirstFitAllocator}: a walk over the entries, emballoc's own way. */
    LINEAR,
    /** {@code IndexedAllocator}: the same decisions and bytes, found through an index in O(log n). */
    INDEXED;

    /** The word the command line uses. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The word the command line uses (so that help shows defaults as they are typed). */
    @Override
    public String toString() {
        return word();
    }
}
