package io.github.emballoc.api;

/**
 * Which free entry an allocation takes, among those large enough (see {@code heap-format.md}, "Allocating").
 * Every allocator of this project makes the same choice for the same fit, whatever structure it uses to find
 * it.
 */
public enum Fit {
    /** The first large-enough free entry in walk order (lowest offset). */
    FIRST,
    /**
     * The smallest large-enough free entry, the one with the lowest offset among equals: emballoc 0.3.0's
     * choice, so that every operation returns what emballoc returns and leaves the same entries.
     */
    BEST
}
