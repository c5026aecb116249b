package org.nettricks.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void numbersAreWrittenAsBefore() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("whole", 1e7);
        m.put("negativeZero", -0.0);
        m.put("large", 1e15);
        m.put("small", 1e-5);
        m.put("float", 0.1f);
        m.put("nan", Double.NaN);
        m.put("long", 1234567890123L);
        m.put("list", List.of(0.5, 2));
        m.put("doubles", new double[] {1, Double.POSITIVE_INFINITY});
        m.put("quote", "a\"b\\c\u0001");
        assertEquals("{\"whole\":10000000.0,\"negativeZero\":0.0,\"large\":1.0E15,\"small\":1.0E-5,"
                + "\"float\":0.10000000149011612,\"nan\":null,\"long\":1234567890123,\"list\":[0.5,2],"
                + "\"doubles\":[1.0,null],\"quote\":\"a\\\"b\\\\c\\u0001\"}", Json.write(m));
        assertEquals(List.of(1e15, 12345678901234567890.0), Json.parse("[1.0E15, 12345678901234567890]"));
    }

    @Test
    void malformedTextIsRefusedWithItsPosition() {
        String missingComma = assertThrows(Json.JsonException.class,
                () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage();
        assertTrue(missingComma.endsWith(" at line 1, column 8 (character 7)"), missingComma);
        assertTrue(missingComma.contains("comma"), missingComma);
        Json.JsonException onLine3 = assertThrows(Json.JsonException.class, () -> Json.parse("{\n\"a\": 1,\n\"b\": tru}"));
        assertEquals(3, onLine3.line(), onLine3.getMessage());
        assertEquals("duplicate key \"a\" at line 1, column 8 (character 7)",
                assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}")).getMessage());
        assertThrows(Json.JsonException.class, () -> Json.parse("[1, NaN]"));
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": 1} // comment"));
        assertThrows(Json.JsonException.class, () -> Json.parse(""));
        assertThrows(Json.JsonException.class, () -> Json.parse("[".repeat(66) + "]".repeat(66)));
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(Json.JsonException.class, () -> Json.parse("[1,]"));
        assertThrows(Json.JsonException.class, () -> Json.parse("\"unterminated"));
        assertThrows(Json.JsonException.class, () -> Json.parse("{} extra"));
    }
}
