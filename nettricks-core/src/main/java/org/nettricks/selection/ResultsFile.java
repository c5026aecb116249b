package org.nettricks.selection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.io.internal.Json;

/**
 * The results of a search, one JSON object per finished trial and line ({@code trials.jsonl}),
 * appended and flushed to disk as each trial ends, so that a search killed at any moment (even
 * {@code kill -9}) resumes from it: complete lines are trials that finished; a torn last line is
 * cut off and its trial runs again.
 */
public final class ResultsFile {
    private ResultsFile() {
    }

    /** Reads the finished trials, truncating a torn last line. */
    public static List<TrialResult> readAndRepair(Path file) throws IOException {
        List<TrialResult> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int validEnd = 0;
        int lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            try {
                out.add(fromJson(line));
            } catch (RuntimeException e) {
                throw new InvalidInputException(file + ": line " + lineNo + " is not a trial record (" + e.getMessage()
                        + "); the file was edited by hand or belongs to something else");
            }
            start = i + 1;
            validEnd = i + 1;
        }
        if (validEnd < bytes.length) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(validEnd);
                ch.force(true);
            }
        }
        return out;
    }

    /** Appends one trial and forces it to disk. */
    public static void append(Path file, TrialResult t) throws IOException {
        byte[] line = (Json.write(toJson(t)) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
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
        return m;
    }

    static TrialResult fromJson(String line) {
        Map<?, ?> m = (Map<?, ?>) Json.parse(line);
        Map<String, String> values = new LinkedHashMap<>();
        ((Map<?, ?>) m.get("values")).forEach((k, v) -> values.put((String) k, (String) v));
        return new TrialResult(((Long) m.get("trial")).intValue(), (Long) m.get("seed"), values, (String) m.get("status"),
                ((Long) m.get("best_epoch")).intValue(), number(m.get("validation_error")),
                number(m.get("validation_loss")), ((Long) m.get("epochs")).intValue(), number(m.get("seconds")));
    }

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
