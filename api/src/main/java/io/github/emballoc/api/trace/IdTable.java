package io.github.emballoc.api.trace;

import java.util.Arrays;

/**
 * The IDs of a trace, numbered from 0 in order of first appearance: an open-addressing hash table over the
 * IDs' characters, kept in one growing {@code char[]}. Looking up an ID that is already known creates no
 * object, so a reader can number the IDs of a line without making a {@code String} for it; memory grows
 * with the number of distinct IDs (their characters plus 16 bytes each), never with the number of lines.
 *
 * <p>Threads: not thread-safe; owned by one reader.
 */
final class IdTable {

    /** The characters of every ID, one after the other. */
    private char[] chars = new char[256];
    private int charCount;
    /** Where ID {@code i} starts in {@link #chars}, and its length. */
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private int count;
    /** ID number + 1 for each slot, 0 for an empty slot; the length is a power of two. */
    private int[] slots = new int[32];
    /** The IDs' strings, made on first request. */
    private String[] names = new String[16];

    /** Returns the number of IDs. */
    int count() {
        return count;
    }

    /**
     * Returns the number of the ID {@code buffer[from, from + length)}, adding it if it is new.
     *
     * @throws IllegalStateException if the table would hold more characters than an array can
     */
    int intern(char[] buffer, int from, int length) {
        int hash = hash(buffer, from, length);
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                int index = add(buffer, from, length);
                slots[slot] = index + 1;
                if (2 * count > slots.length) {
                    rehash();
                }
                return index;
            }
            int index = entry - 1;
            if (lengths[index] == length && Arrays.equals(chars, starts[index], starts[index] + length, buffer, from,
                    from + length)) {
                return index;
            }
        }
    }

    /** Returns ID {@code index} as a string (made once, then kept). */
    String name(int index) {
        String name = names[index];
        if (name == null) {
            name = new String(chars, starts[index], lengths[index]);
            names[index] = name;
        }
        return name;
    }

    /** Returns the length of ID {@code index}. */
    int length(int index) {
        return lengths[index];
    }

    /** Copies the characters of ID {@code index} to {@code target} from {@code at}. */
    void copy(int index, char[] target, int at) {
        System.arraycopy(chars, starts[index], target, at, lengths[index]);
    }

    private int add(char[] buffer, int from, int length) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, 2 * count);
            lengths = Arrays.copyOf(lengths, 2 * count);
            names = Arrays.copyOf(names, 2 * count);
        }
        if (charCount + length > chars.length) {
            long grown = Math.max((long) charCount + length, 2L * chars.length);
            if (grown > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the trace has more ID characters than a table can hold");
            }
            chars = Arrays.copyOf(chars, (int) grown);
        }
        System.arraycopy(buffer, from, chars, charCount, length);
        starts[count] = charCount;
        lengths[count] = length;
        charCount += length;
        return count++;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int index = 0; index < count; index++) {
            int slot = hash(chars, starts[index], lengths[index]) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = index + 1;
        }
        slots = grown;
    }

    private static int hash(char[] buffer, int from, int length) {
        int hash = 0;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + buffer[i];
        }
        return hash ^ (hash >>> 16) ^ (hash >>> 7);
    }
}
