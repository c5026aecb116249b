package org.nettricks.selection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.io.internal.Json;

/**
 * The results of a search, one JSON object per finished trial and line ({@code trials.jsonl}),
 * appended and flushed to disk as each trial ends, so that a search killed at any moment (even
 * {@code kill -9}) resumes from it.
 *
 * <p>Reading tells a torn last line from a damaged one. The writer ends every record with its
 * newline, so only the bytes after the last newline can be cut short by a kill: if they are a
 * whole record (only the newline is missing) the trial counts as finished and the newline is
 * added; otherwise they are a torn record, dropped (by truncating the file), and their trial runs
 * again. Every line before it must be a whole trial record (blank lines are skipped): a line that is
 * not (not UTF-8, not JSON, a field missing or of the wrong type, an unknown status, a trial
 * number twice) is refused with an {@link InvalidInputException} naming the file and the line.
 * Deleting a whole line is allowed: its trial runs again.
 *
 * <p>Each record: {@code trial}, {@code seed} (integers), {@code values} (an object of strings),
 * {@code status} ({@code ok}, {@code pruned} or {@code diverged}), {@code best_epoch},
 * {@code epochs} (integers ≥ 0), {@code validation_error}, {@code validation_loss},
 * {@code seconds} (numbers, or null for not-a-number), {@code monitor} (the name of the metric the
 * search selects on, e.g. {@code val-error}, {@code val-rmse}, {@code val-f1-macro}) and
 * {@code monitored} (its figure at the best epoch: what the ranking orders by), and the per-epoch
 * curve of that figure, named {@code validation_errors} when the metric is the validation error and
 * {@code monitored_per_epoch} otherwise (numbers or nulls; absent in files written before it was
 * kept, read as empty). {@code monitor} and {@code monitored} are written only for a metric other
 * than the validation error (whose record is as it always was: {@code monitored} is
 * {@code validation_error}); a record without them selects on the validation error. A regression trial's {@code validation_error} is null (it has no
 * classification error); its RMSE is the {@code monitored} figure of {@code val-rmse}.
 */
public final class ResultsFile {
    private static final Set<String> STATUSES = Set.of("ok", "pruned", "diverged");

    private ResultsFile() {
    }

    /** One trial as read, with its 1-based line number in the file. */
    record Entry(TrialResult trial, int line) {
    }

    /** Reads the finished trials without changing the file (a torn last line is ignored). */
    public static List<TrialResult> read(Path file) throws IOException {
        return trials(entries(file, false));
    }

    /** Reads the finished trials, truncating a torn last line (or completing a whole one). */
    public static List<TrialResult> readAndRepair(Path file) throws IOException {
        return trials(entries(file, true));
    }

    private static List<TrialResult> trials(List<Entry> entries) {
        List<TrialResult> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.trial());
        }
        return out;
    }

    /** The trials of the file in file order; {@code repair} fixes its tail on disk. */
    static List<Entry> entries(Path file, boolean repair) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + " is not a regular file; it is where the search keeps its"
                    + " results: remove it, or use another --out");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the search's results (" + reason(e) + ")", e);
        }
        Map<Integer, Integer> lineOfTrial = new LinkedHashMap<>();
        int start = 0;
        int lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            TrialResult t = parseLine(file, lineNo, bytes, start, i);
            if (t != null) {
                Integer earlier = lineOfTrial.putIfAbsent(t.index(), lineNo);
                if (earlier != null) {
                    throw damaged(file, lineNo, "trial " + t.index() + " is already on line " + earlier);
                }
                out.add(new Entry(t, lineNo));
            }
            start = i + 1;
        }
        if (start < bytes.length) {
            // the last line has no newline: a whole record whose newline a kill cut off, or a torn one
            TrialResult whole = null;
            try {
                whole = parseLine(file, lineNo + 1, bytes, start, bytes.length);
            } catch (InvalidInputException e) {
                whole = null;
            }
            if (whole != null && lineOfTrial.containsKey(whole.index())) {
                whole = null;
            }
            if (whole != null) {
                out.add(new Entry(whole, lineNo + 1));
            }
            if (repair) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    if (whole != null) {
                        ch.position(bytes.length);
                        ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    } else {
                        ch.truncate(start);
                    }
                    ch.force(true);
                } catch (IOException e) {
                    throw new IOException(file + ": cannot repair its torn last line (" + reason(e) + ")", e);
                }
            }
        }
        return out;
    }

    /** The trial of bytes [from, to), or null for a blank line. */
    private static TrialResult parseLine(Path file, int lineNo, byte[] bytes, int from, int to) {
        String line;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            line = chars.toString();
        } catch (CharacterCodingException e) {
            throw damaged(file, lineNo, "not UTF-8 text");
        }
        if (line.isBlank()) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (Json.JsonException e) {
            throw damaged(file, lineNo, "not JSON (" + e.getMessage().replaceFirst(" at line 1, ", " at ") + ")");
        }
        try {
            return fromJson(parsed);
        } catch (IllegalArgumentException e) {
            throw damaged(file, lineNo, e.getMessage());
        }
    }

    private static InvalidInputException damaged(Path file, int lineNo, String problem) {
        return new InvalidInputException(file + " line " + lineNo + ": not a trial record: " + problem
                + "; the line was edited, or the file belongs to something else: restore it, or delete the line"
                + " (its trial runs again)");
    }

    /** Appends one trial and forces it to disk; on failure the file is left as it was, where possible. */
    public static void append(Path file, TrialResult t) throws IOException {
        byte[] line = (Json.write(toJson(t)) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long before = ch.size();
            try {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            } catch (IOException e) {
                try {
                    ch.truncate(before); // no torn line left in the middle of the file
                } catch (IOException ignored) {
                    // a torn last line is dropped when the search resumes
                }
                throw e;
            }
        } catch (IOException e) {
            throw new IOException(file + ": cannot append the result of trial " + t.index() + " (" + reason(e)
                    + "); the search stopped: fix this (e.g. free some disk space) and run the same command to"
                    + " resume from the trials already written", e);
        }
    }

    /** The operating system's reason for a failed file operation, without the file names. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (f instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (f instanceof java.nio.file.NoSuchFileException) {
                return "no such file or directory";
            }
            return f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static Map<String, Object> toJson(TrialResult t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", t.index());
        m.put("seed", t.seed());
        m.put("values", t.values());
        m.put("status", t.status());
        m.put("best_epoch", t.bestEpoch());
        m.put("validation_error", t.validationError());
        m.put("validation_loss", t.validationLoss());
        m.put("epochs", t.epochs());
        m.put("seconds", t.seconds());
        if (t.metric().isError()) { // written as before monitor was recorded
            m.put("validation_errors", t.validationErrors());
            return m;
        }
        m.put("monitored_per_epoch", t.validationErrors());
        m.put("monitor", t.monitor());
        m.put("monitored", t.monitored());
        return m;
    }

    /** A record from its parsed JSON; IllegalArgumentException says which field is wrong. */
    static TrialResult fromJson(Object parsed) {
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a JSON " + kind(parsed) + ", not an object");
        }
        int trial = (int) integer(m, "trial", 0, Integer.MAX_VALUE);
        long seed = integer(m, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        if (!(m.get("values") instanceof Map<?, ?> raw)) {
            throw field(m, "values", "an object of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("'values' holds " + e.getKey() + " = " + shown(e.getValue())
                        + ", which is not a string");
            }
            values.put((String) e.getKey(), s);
        }
        if (!(m.get("status") instanceof String status) || !STATUSES.contains(status)) {
            throw field(m, "status", "ok, pruned or diverged");
        }
        int bestEpoch = (int) integer(m, "best_epoch", 0, Integer.MAX_VALUE);
        double error = number(m, "validation_error");
        double loss = number(m, "validation_loss");
        int epochs = (int) integer(m, "epochs", 0, Integer.MAX_VALUE);
        double seconds = number(m, "seconds");
        String monitor = org.nettricks.evaluation.Metric.VAL_ERROR.name();
        if (m.containsKey("monitor")) {
            try {
                if (!(m.get("monitor") instanceof String name)) {
                    throw new IllegalArgumentException();
                }
                monitor = org.nettricks.evaluation.Metric.parse(name).name();
            } catch (IllegalArgumentException e) {
                throw field(m, "monitor", "a metric name such as val-error");
            }
        }
        double monitored = m.containsKey("monitor") ? number(m, "monitored") : error;
        String curveKey = monitor.equals("val-error") ? "validation_errors" : "monitored_per_epoch";
        List<Double> curve = new ArrayList<>();
        if (m.containsKey(curveKey)) {
            if (!(m.get(curveKey) instanceof List<?> list)) {
                throw field(m, curveKey, "a list of numbers");
            }
            for (Object o : list) {
                if (o != null && !(o instanceof Number)) {
                    throw field(m, curveKey, "a list of numbers");
                }
                curve.add(o == null ? Double.NaN : ((Number) o).doubleValue());
            }
        }
        return new TrialResult(trial, seed, values, status, bestEpoch, error, loss, epochs, seconds, curve, monitor,
                monitored);
    }

    private static long integer(Map<?, ?> m, String key, long min, long max) {
        if (!(m.get(key) instanceof Long v) || v < min || v > max) {
            throw field(m, key, min == 0 ? "an integer ≥ 0" : "an integer");
        }
        return v;
    }

    private static double number(Map<?, ?> m, String key) {
        Object o = m.get(key);
        if (!m.containsKey(key) || (o != null && !(o instanceof Number))) {
            throw field(m, key, "a number (or null)");
        }
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static IllegalArgumentException field(Map<?, ?> m, String key, String expected) {
        if (!m.containsKey(key)) {
            return new IllegalArgumentException("'" + key + "' is missing");
        }
        return new IllegalArgumentException("'" + key + "' is " + shown(m.get(key)) + ", not " + expected);
    }

    private static String shown(Object v) {
        String s = Json.write(v);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static String kind(Object v) {
        return v instanceof List ? "list" : v instanceof String ? "string" : v == null ? "null" : "value";
    }
}
