package org.nettricks.io.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A strict JSON reader and writer for safetensors headers, model metadata, results files and
 * recipes, on Jackson's streaming parser and generator.
 *
 * <p>Parsing yields {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Long} when they are
 * integers that fit, else {@code Double}. It builds plain data only: nothing is ever instantiated
 * from the input. Strict means standard JSON (RFC 8259) and nothing more: no comments, no trailing
 * commas, no NaN, no single quotes, no duplicate keys, nothing after the value, and at most 64
 * levels of nesting.
 */
public final class Json {
    private static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonMapper.builder().build().getFactory().rebuild()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
            .build();

    private Json() {
    }

    /**
     * Thrown for malformed JSON; the message says what is wrong and where, as
     * {@code "… at line L, column C (character N)"} with a 1-based line and column and the 0-based
     * character offset into the text.
     */
    public static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int line;
        private final int column;

        JsonException(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        /** The 1-based line of the mistake. */
        public int line() {
            return line;
        }

        /** The 1-based column of the mistake. */
        public int column() {
            return column;
        }
    }

    /** Parses one JSON value; the whole text must be consumed. */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw error("unexpected end of JSON", p.currentLocation());
            }
            Object v = value(p, first, 0);
            JsonLocation afterValue = p.currentLocation();
            if (p.nextToken() != null) {
                throw error("unexpected text after the JSON value", afterValue);
            }
            return v;
        } catch (JsonProcessingException e) {
            throw error(describe(e), e.getLocation());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
    }

    private static Object value(JsonParser p, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH, p.currentTokenLocation());
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    Object v = value(p, p.nextToken(), depth + 1);
                    if (map.containsKey(key)) {
                        throw error("duplicate key \"" + key + "\"", keyAt);
                    }
                    map.put(key, v);
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(value(p, t, depth + 1));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error("unexpected " + token, p.currentTokenLocation());
        }
    }

    /** Jackson's message without its own location and source excerpt, which {@link #error} replaces. */
    private static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static JsonException error(String what, JsonLocation at) {
        if (at == null) {
            return new JsonException(what, 0, 0);
        }
        long offset = at.getCharOffset();
        return new JsonException(what + " at line " + at.getLineNr() + ", column " + at.getColumnNr()
                + (offset >= 0 ? " (character " + offset + ")" : ""), at.getLineNr(), at.getColumnNr());
    }

    // ---------------------------------------------------------------- writing

    /**
     * Serializes maps, lists, strings, numbers, booleans, null, double[] and int[] compactly.
     * Doubles and floats are written as by {@link Double#toString}, except that whole numbers below
     * 10^15 are written without an exponent ({@code 10000000.0}, not {@code 1.0E7}), and
     * non-finite values as {@code null} (JSON has no NaN or infinity).
     *
     * @throws IllegalArgumentException for any other type of value
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does no I/O
        }
        return out.toString();
    }

    private static void write(Object value, JsonGenerator g) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(((Number) value).doubleValue(), g);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof double[] arr) {
            g.writeStartArray();
            for (double d : arr) {
                writeDouble(d, g);
            }
            g.writeEndArray();
        } else if (value instanceof int[] arr) {
            g.writeStartArray();
            for (int i : arr) {
                g.writeNumber(i);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(o, g);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void writeDouble(double d, JsonGenerator g) throws IOException {
        if (!Double.isFinite(d)) {
            g.writeNull();
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            g.writeNumber((long) d + ".0");
        } else {
            g.writeNumber(Double.toString(d));
        }
    }

    /** Appends {@code s} as a JSON string literal (quotes included, escaped as JSON requires). */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}
