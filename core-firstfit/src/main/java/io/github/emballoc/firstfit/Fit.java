package io.github.emballoc.firstfit;

/**
 * Which free entry an allocation takes, among those large enough.
 */
public enum Fit {
    /** The first large-enough free entry in walk order. The default: the walk stops as soon as one fits. */
    FIRST,
    /**
     * The smallest large-enough free entry, the one with the lowest offset among equals: emballoc 0.3.0's
     * choice, so that every operation returns what emballoc returns and leaves the same entries. The walk
     * visits every entry unless one fits exactly.
     */
    BEST
}
