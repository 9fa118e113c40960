package io.github.emballoc.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, \"x\\\"\\u0041\\n\"], \"b\": {}, \"c\": [], \"d\": true,"
                + " \"e\": false, \"f\": null} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of(1.0, -2500.0, "x\"A\n"), map.get("a"));
        assertEquals(Map.of(), map.get("b"));
        assertEquals(List.of(), map.get("c"));
        assertEquals(Boolean.TRUE, map.get("d"));
        assertEquals(Boolean.FALSE, map.get("e"));
        assertNull(map.get("f"));
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(map.keySet()), "document order");
    }

    @Test
    void errorsNameTheOffset() {
        assertEquals("JSON at offset 5: ']' expected",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2")).getMessage());
        assertEquals("JSON at offset 3: text after the value",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("[] x")).getMessage());
        assertEquals("JSON at offset 1: a member name expected",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{1: 2}")).getMessage());
        assertEquals("JSON at offset 0: unexpected 'x'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("x")).getMessage());
        assertEquals("JSON at offset 3: unterminated string",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("\"ab")).getMessage());
    }
}
