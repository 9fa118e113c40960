package io.github.emballoc.indexed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emballoc.api.Allocator;
import io.github.emballoc.api.Fit;
import io.github.emballoc.api.RawHeap;
import io.github.emballoc.api.RawHeaps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The usage example of README.md: it runs here, and the README's code block must be exactly the lines between the
 * markers below, so that the two cannot drift apart.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeUsageExampleWorks() {
        // --- README "Usage" begins
        RawHeap heap = RawHeaps.allocateDirect(1 << 20);        // or allocate(n), wrap(byte[]), map(Path, n)
        Allocator allocator = IndexedAllocator.builder(heap).fit(Fit.BEST).build();
        int block = allocator.allocate(64, 8);                  // a payload offset, or Allocator.NULL
        heap.putLong(block, 42L);                               // the offset API: no object per access
        block = allocator.reallocate(block, 200);               // in place when it can; the bytes go along
        ByteBuffer view = allocator.view(block, 200);           // bounded: a write past 200 bytes throws
        view.putInt(196, 7);                                    // the block's last 4 bytes
        allocator.free(block);
        // --- README "Usage" ends
        assertEquals(42L, heap.getLong(block), "reallocate keeps the block's bytes");
        assertEquals(200, view.capacity());
        assertEquals(7, heap.getInt(block + 196), "the view writes the heap's bytes");
        assertThrows(IndexOutOfBoundsException.class, () -> view.putInt(197, 1), "the view ends with the block");
        assertEquals(0, allocator.stats().usedEntries(), "everything was freed");
    }

    @Test
    void theReadmeShowsExactlyThisExample() throws IOException {
        List<String> test = Files.readAllLines(
                Path.of("src/test/java/io/github/emballoc/indexed/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        List<String> example = test.subList(test.indexOf("        // --- README \"Usage\" begins") + 1,
                test.indexOf("        // --- README \"Usage\" ends"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int usage = readme.indexOf("## Usage");
        int start = readme.indexOf("```java\n", usage) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        StringBuilder expected = new StringBuilder();
        for (String line : example) {
            expected.append(line.substring(Math.min(8, line.length()))).append('\n');
        }
        assertTrue(usage >= 0, "README.md has a Usage section");
        assertEquals(expected.toString(), block, "README.md's usage example is the code of theReadmeUsageExampleWorks");
    }
}
