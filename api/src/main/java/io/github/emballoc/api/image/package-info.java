/**
 * The heap image format, in one place: the header layout, the capacity and request rules
 * ({@link io.github.emballoc.api.image.HeaderDescriptor}), the checked walk, initialisation and attach check
 * ({@link io.github.emballoc.api.image.HeapImage}), and monomorphic header access for allocators
 * ({@link io.github.emballoc.api.image.HeaderAccess}). No other module restates the header size or the
 * rounding rule.
 *
 * <p>{@code heap-format.md} is the binding description of the image and of emballoc's two operations
 * (allocate, free with forward merging). This package states the rules of the operations this project adds
 * on top, which every allocator of the project (the linear walk and the index) follows to the byte, and the
 * order of their writes.
 *
 * <h2>Free with {@link io.github.emballoc.api.Coalescing#BOTH}</h2>
 * Steps 1-2 of emballoc's free (find the entry, refuse a free one) are unchanged. Then {@code merged} is the
 * freed entry's size, plus {@code 4 + next.size} when the next visited entry exists and is free. If the
 * previous visited entry {@code P} exists and is free, the one write is {@code P}'s header: free, size
 * {@code P.size + 4 + merged}. Otherwise the one write is the freed entry's header: free, size {@code merged}
 * (exactly {@link io.github.emballoc.api.Coalescing#FORWARD}'s write).
 *
 * <h2>{@code coalesce()}</h2>
 * One walk; for every maximal run of two or more neighbouring visited free entries starting at {@code F},
 * one write of {@code F}'s header: free, size {@code end - F - 4}, where {@code end} is where the run's last
 * payload ends. It returns the number of entries absorbed (a run of {@code k} entries counts {@code k - 1}).
 * The never-visited 4-byte entry at {@code capacity - 4} is not an entry of any run.
 *
 * <h2>{@code usableSize(p)}</h2>
 * The used entry {@code E} whose payload holds {@code p} is found as free finds it (and refused as free
 * refuses: no entry holds {@code p}, or {@code E} is free). The result is {@code E.payloadEnd - p}.
 *
 * <h2>{@code reallocate(p, size, align)}</h2>
 * {@code p == NULL} allocates. Otherwise {@code size} and {@code align} are checked as for allocate, then
 * {@code E} is found and refused as free does.
 * <ol>
 *   <li><b>In place</b>, when {@code p} is a multiple of {@code align}: let {@code shift = p - E.payload} and
 *       {@code need = spanSize(shift, size)} ({@code shift + size} rounded up to 4, a size of 0 counted as 4
 *       as allocate serves a request of 0, so that {@code p} stays inside the payload).
 *     <ul>
 *       <li>{@code need <= E.size} (shrink or same): if {@code rest = E.size - need} is 4 or more, the tail
 *           is split off as a free entry at {@code E + 4 + need}, merged with the next visited entry when that
 *           one is free: its size is {@code rest - 4}, plus {@code 4 + next.size} when merged. Writes: the
 *           tail's header, then {@code E}'s header (used, {@code need}). If {@code rest} is 0, nothing is
 *           written.</li>
 *       <li>{@code need > E.size} (grow): when the next visited entry {@code N} exists, is free, and
 *           {@code total = E.size + 4 + N.size >= need}: if {@code total - need} is 4 or more, a free entry of
 *           {@code total - need - 4} is written at {@code E + 4 + need}, then {@code E}'s header (used,
 *           {@code need}); otherwise only {@code E}'s header (used, {@code total}).</li>
 *     </ul>
 *       The handle stays {@code p}.</li>
 *   <li><b>Moving</b>, otherwise: a new block is allocated by the allocate rule with the allocator's fit; if
 *       none fits the result is {@code NULL} and nothing is written. Else {@code min(size, E.payloadEnd - p)}
 *       bytes are copied from {@code p} to the new handle, {@code E} is freed by the allocator's free rule,
 *       and the new handle is returned.</li>
 * </ol>
 * emballoc itself has no reallocate (Rust's default is allocate, copy, free, which is the moving case); the
 * in-place cases are this project's. Every image they leave is a valid emballoc image.
 *
 * <h2>Write order: what the heap holds after each single write</h2>
 * Every header write is one aligned 4-byte store, and each operation orders its writes so that after each one
 * the heap holds a sound image (it attaches) in which every block that was live before the operation is
 * still a used entry with its payload bytes unchanged:
 * <ul>
 *   <li>allocate: the remainder's free header first (it lies inside the chosen free entry's payload, so it is
 *       invisible to a walk), then the chosen entry's used header, which makes the allocation happen.</li>
 *   <li>free, a merge, one run of {@code coalesce()}: one header write each.</li>
 *   <li>reallocate in place: the tail's (or remainder's) header first, inside {@code E}'s own payload past
 *       {@code need} or inside {@code N}'s free payload, then {@code E}'s header. Only the block's bytes past
 *       its new size can change before the operation happens.</li>
 *   <li>reallocate moving: allocate's writes, the copy into the new block, then free's one write. A crash
 *       before that last write leaves both blocks live, the old one unchanged: the only operation whose
 *       interruption can leave more than "happened or did not" (the new block is then allocated and unused).</li>
 * </ul>
 * So a crash between two writes loses at most the operation in flight, never a block that was live.
 */
package io.github.emballoc.api.image;
