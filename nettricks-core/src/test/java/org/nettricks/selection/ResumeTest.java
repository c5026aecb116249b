package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void aTornResultsFileResumesWithoutRepeatingOrLosingTrials() throws IOException {
        TestFunctions.Function f = TestFunctions.branin();
        Path file = dir.resolve("trials.jsonl");
        List<TrialResult> whole = Search.run(new TreeParzenEstimator(f.dimensions(), 9), new FunctionObjective(f),
                new Search.Options(20, 1, 9, dir.resolve("reference.jsonl"), false), t -> { });
        Search.run(new TreeParzenEstimator(f.dimensions(), 9), new FunctionObjective(f),
                new Search.Options(12, 1, 9, file, false), t -> { });
        // a crash in the middle of writing trial 12's line
        String partial = "{\"trial\":12,\"seed\":1,\"val";
        Files.writeString(file, partial, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        List<Integer> newlyRun = new ArrayList<>();
        List<TrialResult> resumed = Search.run(new TreeParzenEstimator(f.dimensions(), 9), new FunctionObjective(f),
                new Search.Options(20, 1, 9, file, false), t -> newlyRun.add(t.index()));
        assertEquals(List.of(12, 13, 14, 15, 16, 17, 18, 19), newlyRun, "only the unfinished trials run");
        assertEquals(20, Files.readAllLines(file).size());
        assertEquals(whole.stream().map(TrialResult::values).toList(), resumed.stream().map(TrialResult::values).toList(),
                "a resumed search proposes exactly what an uninterrupted one does");
    }
}
