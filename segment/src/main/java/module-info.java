/**
 * A {@link io.github.emballoc.api.RawHeap} over a {@link java.lang.foreign.MemorySegment} (JDK 22 and newer):
 * {@link io.github.emballoc.segment.SegmentHeaps} wraps a segment from any {@link java.lang.foreign.Arena}
 * (including a mapped file segment) or allocates one, and gives bounded {@code MemorySegment} views of
 * allocated blocks.
 *
 * <p>This module depends on nothing but {@code emballoc-api} (and through it {@code slf4j-api}).
 */
module io.github.emballoc.segment {
    requires transitive io.github.emballoc.api;

    exports io.github.emballoc.segment;
}
