package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.InvalidInputException;

/**
 * Issue 14, class 6: a results file ({@code trials.jsonl}) damaged by hand is refused with one line
 * naming the file and the line, never another exception; a last line torn by {@code kill -9} is
 * tolerated (dropped, its trial runs again), a whole last record without its newline is kept.
 */
class ResultsFileTest {
    /** Hand-written records, as the writer formats them. */
    static final String LINE0 = "{\"trial\":0,\"seed\":11,\"values\":{\"lr\":\"0.1\"},\"status\":\"ok\",\"best_epoch\":2,"
            + "\"validation_error\":0.25,\"validation_loss\":0.7,\"epochs\":3,\"seconds\":1.5,"
            + "\"validation_errors\":[0.5,0.25,0.3]}";
    static final String LINE1 = "{\"trial\":1,\"seed\":12,\"values\":{\"lr\":\"0.2\"},\"status\":\"diverged\",\"best_epoch\":0,"
            + "\"validation_error\":null,\"validation_loss\":null,\"epochs\":1,\"seconds\":0.5,"
            + "\"validation_errors\":[null]}";
    static final String LINE2 = "{\"trial\":2,\"seed\":13,\"values\":{\"lr\":\"0.3\"},\"status\":\"pruned\",\"best_epoch\":1,"
            + "\"validation_error\":0.125,\"validation_loss\":0.5,\"epochs\":1,\"seconds\":0.25}";

    @TempDir
    Path dir;

    @Test
    void readsWhatTheWriterWritesAndRecordsOfEarlierVersionsWithoutCurves() throws IOException {
        Path file = Files.writeString(dir.resolve("t.jsonl"), LINE0 + "\n" + LINE1 + "\n" + LINE2 + "\n");
        List<TrialResult> read = ResultsFile.read(file);
        assertEquals(new TrialResult(0, 11, Map.of("lr", "0.1"), "ok", 2, 0.25, 0.7, 3, 1.5, List.of(0.5, 0.25, 0.3)),
                read.get(0));
        assertEquals(new TrialResult(1, 12, Map.of("lr", "0.2"), "diverged", 0, Double.NaN, Double.NaN, 1, 0.5,
                List.of(Double.NaN)), read.get(1));
        assertEquals(List.of(), read.get(2).validationErrors(), "a record of an earlier version: no curve");
        Path written = dir.resolve("w.jsonl");
        for (TrialResult t : read.subList(0, 2)) {
            ResultsFile.append(written, t);
        }
        assertEquals(LINE0 + "\n" + LINE1 + "\n", Files.readString(written), "written back byte for byte");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # middle line                                                   | the problem named
            {"trial":1                                                      | not JSON (
            not json                                                        | not JSON (
            [1,2]                                                           | a JSON list, not an object
            `"text"`                                                        | a JSON string, not an object
            {"trial":1,"trial":1}                                           | not JSON (duplicate key "trial"
            {"trial":NaN}                                                   | not JSON (
            {"trial":1} x                                                   | not JSON (
            {"seed":1}                                                      | 'trial' is missing
            {"trial":"1"}                                                   | 'trial' is "1", not an integer ≥ 0
            {"trial":-1}                                                    | 'trial' is -1, not an integer ≥ 0
            {"trial":1.5}                                                   | 'trial' is 1.5, not an integer ≥ 0
            {"trial":1e10}                                                  | 'trial' is 10000000000.0, not an integer ≥ 0
            {"trial":3000000000}                                            | 'trial' is 3000000000, not an integer ≥ 0
            {"trial":1,"seed":"x"}                                          | 'seed' is "x", not an integer
            {"trial":1,"seed":1,"values":[1]}                               | 'values' is [1], not an object of strings
            {"trial":1,"seed":1,"values":{"lr":0.1}}                        | 'values' holds lr = 0.1, which is not a string
            {"trial":1,"seed":1,"values":{},"status":"finished"}            | 'status' is "finished", not ok, pruned or diverged
            {"trial":1,"seed":1,"values":{},"status":"ok"}                  | 'best_epoch' is missing
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1}   | 'validation_error' is missing
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":"0.1"} | 'validation_error' is "0.1", not a number (or null)
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":0.1,"validation_loss":0.1,"epochs":-3} | 'epochs' is -3, not an integer ≥ 0
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":0.1,"validation_loss":0.1,"epochs":1,"seconds":true} | 'seconds' is true, not a number (or null)
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":0.1,"validation_loss":0.1,"epochs":1,"seconds":1,"validation_errors":"x"} | 'validation_errors' is "x", not a list of numbers
            {"trial":1,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":0.1,"validation_loss":0.1,"epochs":1,"seconds":1,"validation_errors":[0.1,"a"]} | 'validation_errors' is [0.1,"a"], not a list of numbers
            {"trial":0,"seed":1,"values":{},"status":"ok","best_epoch":1,"validation_error":0.1,"validation_loss":0.1,"epochs":1,"seconds":1} | trial 0 is already on line 1
            """)
    void aDamagedMiddleLineIsRefusedNamingTheFileTheLineAndTheProblem(String middle, String problem)
            throws IOException {
        Path file = Files.writeString(dir.resolve("t.jsonl"), LINE0 + "\n" + middle + "\n" + LINE2 + "\n");
        String m = assertThrows(InvalidInputException.class, () -> ResultsFile.read(file)).getMessage();
        assertTrue(m.startsWith(file + " line 2: not a trial record: " + problem), m);
        assertTrue(m.endsWith("; the line was edited, or the file belongs to something else: restore it, or delete the"
                + " line (its trial runs again)"), m);
        assertEquals(1, m.lines().count());
        byte[] before = Files.readAllBytes(file);
        assertThrows(InvalidInputException.class, () -> ResultsFile.readAndRepair(file));
        assertArrayEquals(before, Files.readAllBytes(file), "a refused file is left as it was");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNamingTheLine() throws IOException {
        byte[] bad = (LINE0 + "\n{\"trial\":1,\"seed\":1,\"values\":{\"lr\":\"\u00e9\"}}\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 6] = (byte) 0xff; // the second byte of é
        Path file = Files.write(dir.resolve("t.jsonl"), bad);
        String m = assertThrows(InvalidInputException.class, () -> ResultsFile.read(file)).getMessage();
        assertTrue(m.startsWith(file + " line 2: not a trial record: not UTF-8 text;"), m);
    }

    @Test
    void aFileCutAtEveryByteReadsItsWholeLinesAndRepairsItsTail() throws IOException {
        String whole = LINE0 + "\n" + LINE1 + "\n" + LINE2 + "\n";
        byte[] bytes = whole.getBytes(StandardCharsets.UTF_8);
        int end0 = LINE0.length() + 1;
        int end1 = end0 + LINE1.length() + 1;
        for (int cut = 0; cut <= bytes.length; cut++) {
            Path file = dir.resolve("cut" + cut + ".jsonl");
            Files.write(file, java.util.Arrays.copyOf(bytes, cut));
            // a whole record without its newline counts (a kill between the record and its newline)
            int expected = cut >= bytes.length - 1 ? 3 : cut >= end1 - 1 ? 2 : cut >= end0 - 1 ? 1 : 0;
            assertEquals(expected, ResultsFile.readAndRepair(file).size(), "cut at byte " + cut);
            int keptBytes = expected == 3 ? bytes.length : expected == 2 ? end1 : expected == 1 ? end0 : 0;
            assertEquals(whole.substring(0, keptBytes), Files.readString(file), "repaired tail, cut at byte " + cut);
        }
    }

    @Test
    void aResultsPathThatIsADirectoryIsRefused() throws IOException {
        Path d = Files.createDirectory(dir.resolve("trials.jsonl"));
        String m = assertThrows(InvalidInputException.class, () -> ResultsFile.read(d)).getMessage();
        assertEquals(d + " is not a regular file; it is where the search keeps its results: remove it, or use another"
                + " --out", m);
    }

    @Test
    void appendingToAFullDiskNamesTheFileAndTheReason() {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "needs Linux's /dev/full");
        IOException e = assertThrows(IOException.class, () -> ResultsFile.append(devFull,
                new TrialResult(3, 1, Map.of(), "ok", 1, 0.1, 0.1, 1, 1)));
        assertTrue(e.getMessage().startsWith("/dev/full: cannot append the result of trial 3 (No space left on"
                + " device); the search stopped"), e.getMessage());
    }

    /** Any byte of a valid file changed to any value: the records read, or the project's error; nothing else. */
    @Property(tries = 3000)
    void aByteChangedAnywhereGivesTrialsOrTheInvalidInputError(@ForAll @IntRange(min = 0, max = 600) int position,
                                                              @ForAll byte value) throws IOException {
        byte[] bytes = (LINE0 + "\n" + LINE1 + "\n" + LINE2 + "\n").getBytes(StandardCharsets.UTF_8);
        bytes[position % bytes.length] = value;
        Path file = Files.createTempFile("trials", ".jsonl");
        try {
            Files.write(file, bytes);
            try {
                List<TrialResult> read = ResultsFile.readAndRepair(file);
                assertTrue(read.size() <= 4, "at most one record per line");
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(file + " line "), e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
        } finally {
            Files.delete(file);
        }
    }
}
