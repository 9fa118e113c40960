package io.github.emballoc.benchmarks.subject;

/** Whether a {@link Subject} is used by one thread or shared between threads; decides how it is guarded. */
public enum Sharing {
    /**
     * One thread at a time: this project's allocators get a {@link UnguardedSection}, offheap-store no lock;
     * one-nio's {@code Malloc} and Netty's pool keep the locks they always take.
     */
    CONFINED,
    /**
     * Several threads at once: this project's allocators get a {@code CasSpinLock}, offheap-store (which has no
     * locking of its own) a {@code synchronized} wrapper; one-nio and Netty rely on their own locks.
     */
    SHARED
}
