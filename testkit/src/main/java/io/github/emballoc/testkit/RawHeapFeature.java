package io.github.emballoc.testkit;

/**
 * Behaviour beyond the {@link io.github.emballoc.api.RawHeap} interface's minimum that a heap may declare in
 * {@link RawHeapContract#features()}. A rule that needs an undeclared feature is skipped when the heap does
 * not offer it, and the skip names the feature; a declared feature is checked, never assumed.
 */
public enum RawHeapFeature {

    /**
     * {@link io.github.emballoc.api.RawHeap#asByteBuffer(int, int)} gives views (the standard heaps do;
     * the interface's default refuses with {@link UnsupportedOperationException}). {@code Allocator.view}
     * needs it. A heap that gives views without declaring it is checked all the same; declaring it makes a
     * refusal a failure.
     */
    BYTE_BUFFER_VIEWS
}
