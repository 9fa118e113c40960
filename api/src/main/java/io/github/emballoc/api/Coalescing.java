package io.github.emballoc.api;

/**
 * Which neighbouring free entries a free merges the freed block with. Either way the image stays a valid
 * emballoc image (emballoc allows, and itself leaves, two neighbouring free entries, and reads one large free
 * entry like any other).
 *
 * <p>The exact rules, and the single header write each merge makes, are stated in the
 * {@link io.github.emballoc.api.image image package}.
 */
public enum Coalescing {
    /**
     * Merge the freed block with the entry right after it when that one is free: emballoc's own rule and the
     * only mode whose every operation is byte-identical to emballoc's. The default. Free entries before a
     * freed block stay separate, so a heap can end up with neighbouring free entries that no single
     * allocation can use together; {@link Allocator#coalesce()} merges them.
     */
    FORWARD,
    /**
     * Also merge with the entry right before the freed block when that one is free, so that no two free
     * entries are ever neighbours after a free (the free space is as unfragmented as the used blocks allow).
     */
    BOTH
}
