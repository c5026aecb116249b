package org.nettricks.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.config.RecipeSettings;
import org.nettricks.config.RecipeSettings.Setting;
import org.nettricks.io.Json;

/**
 * Reads a recipe file: the settings of {@code nettricks train}, with the flag names as keys, in
 * JSON (a flat object) or in YAML (a flat mapping, the subset below).
 * <pre>
 * # Fashion-MNIST with every trick           ← comments
 * data: fashion-mnist
 * hidden: [1024, 1024]                       ← flow lists
 * dropout:                                   ← or block lists
 *   - 0.5
 *   - 0.5
 * batch-norm: true
 * lr: 1e-3
 * </pre>
 * Nested mappings, anchors and multi-line strings are not supported and are refused with the line.
 */
public final class RecipeFile {
    private RecipeFile() {
    }

    /**
     * One key of a recipe or search-space file as written.
     *
     * @param text  the value's text (list items joined by commas)
     * @param items the items when the value is a list, else null
     * @param where the file and line, for messages
     */
    public record Entry(String key, String text, List<String> items, String where) {
    }

    /** The settings in the file, keyed by name, each remembering its file and line. */
    public static Map<String, Setting> read(Path path) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Entry e : readEntries(path)) {
            if (RecipeSettings.key(e.key()) == null) {
                throw new InvalidInputException(e.where() + ": unknown key '" + e.key() + "'; the keys are the flags of"
                        + " nettricks train without their dashes: "
                        + RecipeSettings.KEYS.stream().map(RecipeSettings.Key::name).toList());
            }
            out.put(e.key(), new Setting(e.key(), e.text(), RecipeSettings.Origin.FILE, e.where()));
        }
        return out;
    }

    /** The file's keys and values as written, in file order, without interpreting them. */
    public static List<Entry> readEntries(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("--recipe " + path + ": no such file; check the path");
        } catch (IOException e) {
            throw new InvalidInputException("--recipe " + path + ": cannot read: " + e.getMessage());
        }
        String trimmed = text.strip();
        return trimmed.startsWith("{") ? json(path, text) : yaml(path, text);
    }

    private static List<Entry> json(Path path, String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new InvalidInputException(path + ": not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException(path + ": a JSON recipe must be one object of settings");
        }
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?>) {
                throw new InvalidInputException(path + ": " + key + ": nested objects are not supported; a recipe is a"
                        + " flat set of settings");
            }
            if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof List<?> || o instanceof Map<?, ?>) {
                        throw new InvalidInputException(path + ": " + key + ": lists must hold plain values");
                    }
                    items.add(plain(o));
                }
                out.add(new Entry(key, String.join(",", items), items, path.toString()));
            } else {
                out.add(new Entry(key, plain(value), null, path.toString()));
            }
        }
        return out;
    }

    private static String plain(Object o) {
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(o);
    }

    private static List<Entry> yaml(Path path, String text) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        String listKey = null;
        int listLine = 0;
        List<String> listItems = null;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            String where = path + " line " + lineNo;
            boolean indented = Character.isWhitespace(line.charAt(0));
            String content = line.strip();
            if (indented && content.startsWith("- ") && listKey != null) {
                listItems.add(unquote(content.substring(2).strip()));
                continue;
            }
            if (listKey != null) {
                put(out, listKey, listItems, path + " line " + listLine);
                listKey = null;
            }
            if (indented) {
                throw new InvalidInputException(where + ": unexpected indentation; nested mappings are not supported,"
                        + " a recipe is a flat list of 'key: value' lines");
            }
            int colon = content.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException(where + ": expected 'key: value', got '" + content + "'");
            }
            String key = content.substring(0, colon).strip();
            String value = content.substring(colon + 1).strip();
            if (value.isEmpty()) {
                listKey = key;
                listLine = lineNo;
                listItems = new ArrayList<>();
                continue;
            }
            if (value.startsWith("[")) {
                if (!value.endsWith("]")) {
                    throw new InvalidInputException(where + ": unterminated list '" + value + "'; close it with ]");
                }
                List<String> items = new ArrayList<>();
                for (String item : splitItems(value.substring(1, value.length() - 1))) {
                    items.add(unquote(item));
                }
                put(out, key, items, where);
            } else if (value.startsWith("{") || value.startsWith("&") || value.startsWith("*")
                    || value.startsWith("|") || value.startsWith(">")) {
                throw new InvalidInputException(where + ": '" + value + "' is not supported in recipes; use a plain"
                        + " value or a [list]");
            } else {
                put(out, key, unquote(value), where);
            }
        }
        if (listKey != null) {
            put(out, listKey, listItems, path + " line " + listLine);
        }
        return out;
    }

    private static void put(List<Entry> out, String key, Object value, String where) {
        for (Entry e : out) {
            if (e.key().equals(key)) {
                throw new InvalidInputException(where + ": key '" + key + "' appears twice; keep one");
            }
        }
        if (value instanceof List<?> list) {
            List<String> items = list.stream().map(String::valueOf).toList();
            out.add(new Entry(key, String.join(",", items), items, where));
        } else {
            out.add(new Entry(key, (String) value, null, where));
        }
    }

    /**
     * Splits comma-separated items, respecting quotes and parentheses (so {@code "512,512"} and
     * {@code uniform(0, 1)} stay whole); items are trimmed, empty ones dropped.
     */
    public static List<String> splitItems(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                if (!current.toString().isBlank()) {
                    items.add(current.toString().strip());
                }
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (!current.toString().isBlank()) {
            items.add(current.toString().strip());
        }
        return items;
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Removes one pair of surrounding double or single quotes. */
    public static String unquote(String v) {
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
