package org.nettricks.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\\"\\u00e9\\n\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertEquals("x\"é\n", m.get("b"));
    }

    @Test
    void writesWhatItParsesAndDoublesRoundTripExactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pi", Math.PI);
        m.put("third", 1.0f / 3);
        m.put("ints", new int[] {1, 2});
        m.put("s", "tab\there");
        String text = Json.write(m);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(Math.PI, back.get("pi"));
        assertEquals((double) (1.0f / 3), back.get("third"));
        assertEquals(List.of(1L, 2L), back.get("ints"));
        assertEquals("tab\there", back.get("s"));
    }

    @Test
    void malformedTextIsRefusedWithItsPosition() {
        assertEquals("expected ',' or '}' at character 7",
                assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage());
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(Json.JsonException.class, () -> Json.parse("[1,]"));
        assertThrows(Json.JsonException.class, () -> Json.parse("\"unterminated"));
        assertThrows(Json.JsonException.class, () -> Json.parse("{} extra"));
    }
}
