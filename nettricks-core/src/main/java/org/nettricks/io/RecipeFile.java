package org.nettricks.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.training.RecipeSettings;
import org.nettricks.training.RecipeSettings.Setting;

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

    /** The settings in the file, keyed by name, each remembering its file and line. */
    public static Map<String, Setting> read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("--recipe " + path + ": no such file; check the path");
        } catch (IOException e) {
            throw new InvalidInputException("--recipe " + path + ": cannot read: " + e.getMessage());
        }
        String trimmed = text.strip();
        Map<String, Setting> out = trimmed.startsWith("{") ? json(path, text) : yaml(path, text);
        for (Setting s : out.values()) {
            if (RecipeSettings.key(s.key()) == null) {
                throw new InvalidInputException(s.where() + ": unknown key '" + s.key() + "'; the keys are the flags of"
                        + " nettricks train without their dashes: "
                        + RecipeSettings.KEYS.stream().map(RecipeSettings.Key::name).toList());
            }
        }
        return out;
    }

    private static Map<String, Setting> json(Path path, String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new InvalidInputException(path + ": not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException(path + ": a JSON recipe must be one object of settings");
        }
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            out.put(key, new Setting(key, scalarText(path, key, e.getValue()), RecipeSettings.Origin.FILE,
                    path.toString()));
        }
        return out;
    }

    private static String scalarText(Path path, String key, Object value) {
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (Object o : list) {
                if (o instanceof List<?> || o instanceof Map<?, ?>) {
                    throw new InvalidInputException(path + ": " + key + ": lists must hold plain values");
                }
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(plain(o));
            }
            return sb.toString();
        }
        if (value instanceof Map<?, ?>) {
            throw new InvalidInputException(path + ": " + key + ": nested objects are not supported; a recipe is a"
                    + " flat set of settings");
        }
        return plain(value);
    }

    private static String plain(Object o) {
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(o);
    }

    private static Map<String, Setting> yaml(Path path, String text) {
        Map<String, Setting> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        String listKey = null;
        int listLine = 0;
        StringBuilder listItems = null;
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
                if (listItems.length() > 0) {
                    listItems.append(',');
                }
                listItems.append(unquote(content.substring(2).strip()));
                continue;
            }
            if (listKey != null) {
                put(out, listKey, listItems.toString(), path + " line " + listLine);
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
                listItems = new StringBuilder();
                continue;
            }
            if (value.startsWith("[")) {
                if (!value.endsWith("]")) {
                    throw new InvalidInputException(where + ": unterminated list '" + value + "'; close it with ]");
                }
                StringBuilder sb = new StringBuilder();
                for (String item : value.substring(1, value.length() - 1).split(",")) {
                    if (item.isBlank()) {
                        continue;
                    }
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(unquote(item.strip()));
                }
                value = sb.toString();
            } else if (value.startsWith("{") || value.startsWith("&") || value.startsWith("*")
                    || value.startsWith("|") || value.startsWith(">")) {
                throw new InvalidInputException(where + ": '" + value + "' is not supported in recipes; use a plain"
                        + " value or a [list]");
            } else {
                value = unquote(value);
            }
            put(out, key, value, where);
        }
        if (listKey != null) {
            put(out, listKey, listItems.toString(), path + " line " + listLine);
        }
        return out;
    }

    private static void put(Map<String, Setting> out, String key, String value, String where) {
        if (out.containsKey(key)) {
            throw new InvalidInputException(where + ": key '" + key + "' appears twice; keep one");
        }
        out.put(key, new Setting(key, value, RecipeSettings.Origin.FILE, where));
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

    private static String unquote(String v) {
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
