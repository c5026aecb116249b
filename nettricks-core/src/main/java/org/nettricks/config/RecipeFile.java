package org.nettricks.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.nettricks.InvalidInputException;
import org.nettricks.config.RecipeSettings.Setting;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a recipe file: the settings of {@code nettricks train}, with the recipe's key names, in
 * JSON (one flat object, read with Jackson) or in YAML 1.2 (one flat mapping, read with
 * snakeyaml-engine's composer, so nothing is ever instantiated from the file).
 * <pre>
 * ---                                        ← an optional document marker
 * # Fashion-MNIST with every trick           ← comments
 * data: fashion-mnist
 * hidden: [1024, 1024]                       ← flow lists
 * dropout:                                   ← or block lists, indented or not
 * - 0.5
 * - 0.5
 * batch-norm: true
 * lr: 1e-3
 * </pre>
 * Every value is kept as the text written (YAML scalars are not resolved to numbers or booleans:
 * {@code no}, {@code on}, {@code yes} and {@code off} stay words, and the recipe decides what
 * they mean). A byte-order mark is skipped. Refused, each with the file and line: a file that is
 * not one mapping, a key given twice, a nested mapping as a value, a list inside a list, anchors
 * and aliases ({@code &a}, {@code *a}), several documents, and malformed YAML or JSON.
 */
public final class RecipeFile {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private RecipeFile() {
    }

    /**
     * One key of a recipe or search-space file as written.
     *
     * @param text  the value's text (list items joined by commas)
     * @param items the items when the value is a list, else null
     * @param where the file and line, for messages: {@code "FILE line N"}
     */
    public record Entry(String key, String text, List<String> items, String where) {
    }

    /** The settings in the file, keyed by name, each remembering its file and line. */
    public static Map<String, Setting> read(Path path) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Entry e : readEntries(path)) {
            if (RecipeSettings.key(e.key()) == null) {
                throw unknownKey(e);
            }
            out.put(e.key(), new Setting(e.key(), e.text(), RecipeSettings.Origin.FILE, e.where()));
        }
        return out;
    }

    /**
     * The error for an entry whose key is not a recipe key: the file and line, the key, the closest
     * key ({@link NameSuggestions}: {@code learning-rate} → {@code lr}) and the keys.
     */
    public static InvalidInputException unknownKey(Entry e) {
        List<String> keys = RecipeSettings.KEYS.stream().map(RecipeSettings.Key::name).toList();
        return new InvalidInputException(e.where() + ": unknown key '" + e.key() + "'"
                + NameSuggestions.closest(e.key(), keys).map(k -> " (did you mean '" + k + "'?)").orElse("")
                + "; the keys are the flags of nettricks train without their dashes: " + keys);
    }

    /**
     * The file's keys and values as written, in file order, without interpreting them. A file
     * whose name ends in {@code .json}, or whose first character is <code>{</code>, is JSON; any
     * other is YAML.
     *
     * @throws InvalidInputException when the file cannot be read or is not a flat recipe
     */
    public static List<Entry> readEntries(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("`recipe` " + path + ": no such file; check the path");
        } catch (IOException e) {
            throw new InvalidInputException("`recipe` " + path + ": cannot read: " + e.getMessage());
        }
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        boolean json = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                || text.strip().startsWith("{");
        List<Entry> entries = json ? json(path, text) : yaml(path, text);
        return entries.stream().map(e -> relativeToFile(path, e)).toList();
    }

    /** The keys whose values are files or directories: {@code data}, {@code test-data}, {@code init-from}. */
    static final java.util.Set<String> PATH_KEYS = java.util.Set.of("data", "test-data", "init-from");

    /**
     * A relative path in a {@link #PATH_KEYS} value resolved against the directory of the file that
     * holds it, as configuration files usually do (so a recipe and its data can move together and be
     * run from anywhere): {@code data: train.csv} in {@code runs/r.yaml} names {@code runs/train.csv}.
     * Absolute paths, the built-in names ({@code digits}, {@code fashion-mnist}) and search-space
     * expressions ({@code choice(...)}) are kept as written; each item of a list is resolved on its own.
     */
    private static Entry relativeToFile(Path file, Entry e) {
        Path dir = file.getParent();
        if (dir == null || !PATH_KEYS.contains(e.key())) {
            return e;
        }
        if (e.items() != null) { // a list (of choices, in a search space): each item on its own
            List<String> items = e.items().stream().map(item -> relativeTo(dir, item)).toList();
            return new Entry(e.key(), String.join(",", items), items, e.where());
        }
        return new Entry(e.key(), relativeTo(dir, e.text()), null, e.where());
    }

    private static String relativeTo(Path dir, String value) {
        String v = value.strip();
        if (v.isEmpty() || v.contains("(") || v.equals(org.nettricks.data.DataSources.DIGITS)
                || v.equals(org.nettricks.data.DataSources.FASHION_MNIST)) {
            return value;
        }
        try {
            Path p = Path.of(v);
            return p.isAbsolute() ? value : dir.resolve(p).toString();
        } catch (java.nio.file.InvalidPathException x) {
            return value; // the data reader names it
        }
    }

    // ---------------------------------------------------------------- JSON

    private static final JsonFactory JSON = JsonMapper.builder().build().getFactory();

    private static List<Entry> json(Path path, String text) {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(where(path, p.currentTokenLocation().getLineNr())
                        + ": a JSON recipe must be one object of settings");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String key = p.currentName();
                String where = where(path, p.currentTokenLocation().getLineNr());
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT) {
                    throw new InvalidInputException(where + ": " + key + ": nested objects are not supported; a recipe"
                            + " is a flat set of settings");
                }
                if (v == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                        if (i == JsonToken.START_ARRAY || i == JsonToken.START_OBJECT) {
                            throw new InvalidInputException(where(path, p.currentTokenLocation().getLineNr()) + ": "
                                    + key + ": lists must hold plain values");
                        }
                        items.add(jsonScalar(p, i));
                    }
                    put(out, key, items, where);
                } else {
                    put(out, key, jsonScalar(p, v), where);
                }
            }
            JsonLocation end = p.currentLocation();
            if (p.nextToken() != null) {
                throw new InvalidInputException(where(path, end.getLineNr()) + ": not valid JSON: unexpected text"
                        + " after the recipe's object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String m = e.getOriginalMessage();
            throw new InvalidInputException((at == null ? path.toString() : where(path, at.getLineNr()))
                    + ": not valid JSON: " + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n')))
                    + (at == null ? "" : " (column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does no I/O
        }
        return out;
    }

    /** A JSON scalar as text: whole numbers without a fraction, as the recipe's own forms write them. */
    private static String jsonScalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? plain(p.getDoubleValue()) : Long.toString(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> plain(p.getDoubleValue());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> throw new IllegalStateException("not a scalar: " + t);
        };
    }

    private static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    // ---------------------------------------------------------------- YAML

    private static List<Entry> yaml(Path path, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(path.toString()).setParseComments(false)
                .setAllowRecursiveKeys(false).build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> at = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new InvalidInputException(at.map(m -> where(path, m.getLine() + 1)).orElse(path.toString())
                    + ": not valid YAML: " + problem + at.map(m -> " (column " + (m.getColumn() + 1) + ")").orElse(""));
        } catch (YamlEngineException e) {
            throw new InvalidInputException(path + ": not valid YAML: " + e.getMessage());
        }
        List<Entry> out = new ArrayList<>();
        if (document.isEmpty()) {
            return out; // an empty file, or only comments: no settings
        }
        Node root = document.get();
        refuseAnchor(path, root);
        if (!(root instanceof MappingNode mapping)) {
            throw new InvalidInputException(where(path, line(root)) + ": a recipe must be a mapping of 'key: value'"
                    + " settings, one per line, e.g. 'data: digits'");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Node valueNode = tuple.getValueNode();
            refuseAnchor(path, keyNode);
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                throw new InvalidInputException(where(path, line(keyNode)) + ": a key must be a plain name such as"
                        + " 'lr'");
            }
            String key = scalarKey.getValue();
            String where = where(path, line(keyNode));
            refuseAnchor(path, valueNode);
            if (valueNode instanceof MappingNode) {
                throw new InvalidInputException(where(path, line(valueNode)) + ": " + key + ": a nested mapping is"
                        + " not supported; a recipe is a flat list of 'key: value' lines");
            } else if (valueNode instanceof SequenceNode sequence) {
                List<String> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    refuseAnchor(path, item);
                    if (!(item instanceof ScalarNode scalarItem)) {
                        throw new InvalidInputException(where(path, line(item)) + ": " + key + ": lists must hold"
                                + " plain values");
                    }
                    items.add(scalarItem.getValue());
                }
                put(out, key, items, where);
            } else {
                put(out, key, ((ScalarNode) valueNode).getValue(), where);
            }
        }
        return out;
    }

    private static void refuseAnchor(Path path, Node node) {
        if (node.getAnchor().isPresent()) {
            throw new InvalidInputException(where(path, line(node)) + ": anchors and aliases (&"
                    + node.getAnchor().get().getValue() + ", *" + node.getAnchor().get().getValue() + ") are not"
                    + " supported in recipes; write the value out");
        }
    }

    /** The 1-based line where {@code node} starts. */
    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String where(Path path, int line) {
        return path + " line " + line;
    }

    private static void put(List<Entry> out, String key, Object value, String where) {
        for (Entry e : out) {
            if (e.key().equals(key)) {
                throw new InvalidInputException(where + ": key '" + key + "' appears twice (first at " + e.where()
                        + "); keep one");
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

    /** Removes one pair of surrounding double or single quotes. */
    public static String unquote(String v) {
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
