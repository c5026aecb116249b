package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nettricks.io.Safetensors;

/**
 * Issue 14, class 7 (output) and the command-line side of class 3 (sizes from untrusted input):
 * standard output that cannot be written, output paths checked before the run, the names of data
 * flags and recipe keys in messages, a diverging bench, sizes refused before allocation.
 */
class OutputTest {
    @TempDir
    Path dir;

    private Path model;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with a standard output every write to which fails, as a full disk does. */
    private static Run runIntoFullDisk(String... args) {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(full, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, "", err.toString(StandardCharsets.UTF_8));
    }

    /** The bad-input contract: status 2, one line on stderr that starts as the command's errors do and names the fragment. */
    private static void assertRefused(Run r, String command, String fragment) {
        assertEquals(2, r.status(), r.out() + r.err());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "one line: " + r.err());
        assertTrue(lines[0].startsWith("nettricks " + command + ": error: "), lines[0]);
        assertTrue(lines[0].contains(fragment), "expected '" + fragment + "' in: " + lines[0]);
    }

    @BeforeEach
    void trainASmallModel() {
        model = dir.resolve("model.safetensors");
        Run r = run("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java", "--out",
                model.toString());
        assertEquals(0, r.status(), r.err());
    }

    // ---------------------------------------------------------------- standard output

    @Test
    void predictIntoDevFullExitsWithAnOutputError() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.nettricks.cli.Main", "predict",
                "--model", model.toString(), "--data", "digits", "--backend", "java"));
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(command).redirectOutput(new java.io.File("/dev/full"))
                .redirectError(err.toFile()).start();
        assertEquals(74, p.waitFor());
        List<String> lines = Files.readAllLines(err);
        String last = lines.get(lines.size() - 1);
        // no --out: the line does not speak of files given with it
        assertEquals("nettricks predict: error: cannot write to standard output: No space left on device; the results"
                + " printed there are lost", last);
        // and with --out instead of standard output, the same command succeeds and writes 1,797 rows and a header
        Path csv = dir.resolve("p.csv");
        Run r = run("predict", "--model", model.toString(), "--data", "digits", "--backend", "java", "--out",
                csv.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(1798, Files.readAllLines(csv).size());
    }

    @Test
    void predictIntoAPipeClosedByItsReaderEndsQuietlyAsSigpipeWould() throws Exception {
        // `nettricks predict … | head -1`: the reader takes one line and closes the pipe; 1,798 lines
        // (about 200 kB) do not fit in the pipe's buffer, so later writes find it closed (EPIPE)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.nettricks.cli.Main", "predict",
                "--model", model.toString(), "--data", "digits", "--backend", "java"));
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertTrue(reader.readLine().startsWith("index,predicted,"));
        }
        assertEquals(141, p.waitFor(), Files.readString(err)); // 128 + SIGPIPE (13), as `yes | head` under pipefail
        assertFalse(Files.readString(err).contains("error"), Files.readString(err));
    }

    static Stream<List<String>> commandsThatPrintResults() {
        return Stream.of(
                List.of("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java"),
                List.of("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java", "--json"),
                List.of("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java", "--out",
                        "OUT"),
                List.of("evaluate", "--model", "MODEL", "--data", "digits", "--backend", "java"),
                List.of("evaluate", "--model", "MODEL", "--data", "digits", "--backend", "java", "--json"),
                List.of("predict", "--model", "MODEL", "--data", "digits", "--backend", "java"),
                List.of("gradcheck", "--data", "digits", "--hidden", "4", "--precision", "float64", "--backend", "java"),
                List.of("bench", "--data", "digits", "--hidden", "8", "--measure-epochs", "1", "--infer-reps", "1",
                        "--backend", "java"),
                List.of("search", "--objective", "branin", "--trials", "3"),
                List.of("pretrain", "--data", "digits", "--hidden", "8", "--pretrain", "ae", "--pretrain-epochs", "1",
                        "--backend", "java", "--out", "OUT"),
                List.of("train", "--help"),
                List.of("--help"),
                List.of("completion"));
    }

    @ParameterizedTest
    @MethodSource("commandsThatPrintResults")
    void everyCommandReportsAFailingStandardOutput(List<String> template) {
        String[] args = template.stream().map(a -> a.equals("MODEL") ? model.toString()
                : a.equals("OUT") ? dir.resolve("stack.safetensors").toString() : a).toArray(String[]::new);
        Run r = runIntoFullDisk(args);
        assertEquals(74, r.status(), r.err());
        String[] lines = r.err().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("nettricks (\\w+: )?error: cannot write to standard output: .*"), last);
        assertEquals(template.contains("--out"), last.endsWith("; the results printed there are lost (files given"
                + " with --out are written)"), "the files of --out are mentioned only when --out is given: " + last);
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void aFailedCommandKeepsItsOwnStatusWhenStandardOutputFailsToo() {
        Run r = runIntoFullDisk("evaluate", "--model", dir.resolve("absent.safetensors").toString(), "--data",
                "digits");
        assertEquals(2, r.status(), r.err());
    }

    // ---------------------------------------------------------------- output paths, before the run

    @Test
    void filtersIntoAMissingDirectoryLeaveTheExistingModelUntouched() throws IOException {
        byte[] before = Files.readAllBytes(model);
        Path filters = dir.resolve("no-such-dir").resolve("f.png");
        Run r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--seed", "7", "--backend",
                "java", "--out", model.toString(), "--filters", filters.toString());
        assertRefused(r, "train", "--filters " + filters + ": directory " + filters.getParent() + " does not exist");
        assertArrayEquals(before, Files.readAllBytes(model), "the model written earlier is not replaced");
        assertTrue(r.out().isEmpty(), "refused before training: " + r.out());
    }

    static Stream<Object[]> unwritableOutputs() {
        return Stream.of(
                new Object[] {List.of("train", "--data", "digits", "--out", "MISSING/m.safetensors"), "train",
                        "--out MISSING/m.safetensors: directory MISSING does not exist"},
                new Object[] {List.of("train", "--data", "digits", "--filters", "MISSING/f.png"), "train",
                        "--filters MISSING/f.png: directory MISSING does not exist"},
                new Object[] {List.of("train", "--data", "digits", "--out", "DIR"), "train", "--out DIR is a directory"},
                new Object[] {List.of("train", "--data", "digits", "--filters", "DIR"), "train",
                        "--filters DIR is a directory"},
                new Object[] {List.of("train", "--data", "digits", "--out", "DIR/same", "--filters", "DIR/same"),
                        "train", "--filters DIR/same is also given to --out"},
                new Object[] {List.of("train", "--data", "digits", "--out", "/sys/m.safetensors"), "train",
                        "--out /sys/m.safetensors: cannot write in directory /sys: permission denied"},
                new Object[] {List.of("pretrain", "--data", "digits", "--pretrain", "ae", "--out",
                        "MISSING/s.safetensors"), "pretrain", "--out MISSING/s.safetensors: directory MISSING does not"
                        + " exist"},
                new Object[] {List.of("pretrain", "--data", "digits", "--pretrain", "ae", "--out", "DIR/s.safetensors",
                        "--filters", "/sys/f.png"), "pretrain", "--filters /sys/f.png: cannot write in directory /sys:"
                        + " permission denied"},
                new Object[] {List.of("predict", "--model", "MODEL", "--data", "digits", "--out", "MISSING/p.csv"),
                        "predict", "--out MISSING/p.csv: directory MISSING does not exist"},
                new Object[] {List.of("predict", "--model", "MODEL", "--data", "digits", "--out", "DIR"), "predict",
                        "--out DIR is a directory; give a file name such as DIR/predictions.csv"},
                new Object[] {List.of("search", "--space", "SPACE", "--out", "MODEL"), "search",
                        "--out MODEL is a file, not a directory"},
                new Object[] {List.of("search", "--space", "SPACE", "--out", "MODEL/sub"), "search",
                        "--out MODEL/sub: MODEL is a file, not a directory"});
    }

    @ParameterizedTest
    @MethodSource("unwritableOutputs")
    void everyOutputPathIsCheckedBeforeTheRun(List<String> template, String command, String expected)
            throws IOException {
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 1\nhidden: grid(8, 16)\n");
        Map<String, String> names = Map.of("MISSING", dir.resolve("missing").toString(), "DIR", dir.toString(),
                "MODEL", model.toString(), "SPACE", space.toString());
        java.util.function.UnaryOperator<String> fill = s -> {
            for (Map.Entry<String, String> e : names.entrySet()) {
                s = s.replace(e.getKey(), e.getValue());
            }
            return s;
        };
        byte[] before = Files.readAllBytes(model);
        Run r = run(template.stream().map(fill).toArray(String[]::new));
        assertRefused(r, command, fill.apply(expected));
        assertArrayEquals(before, Files.readAllBytes(model));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("model.safetensors", "space.yaml"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written");
        }
    }

    static List<Object[]> outputsThatAreInputs() {
        return List.of(
                new Object[] {List.of("train", "--data", "CSV", "--out", "CSV"), "train",
                        "--out CSV is the input given as --data CSV; writing it would overwrite that input"},
                new Object[] {List.of("train", "--data", "digits", "--test-data", "CSV", "--report", "LINK"), "train",
                        "--report LINK is the input given as --test-data CSV"},
                new Object[] {List.of("train", "--recipe", "RECIPE", "--out", "RECIPE"), "train",
                        "--out RECIPE is the input given as --recipe RECIPE"},
                new Object[] {List.of("train", "--data", "CSV", "--filters", "CSV"), "train",
                        "--filters CSV is the input given as --data CSV"},
                new Object[] {List.of("pretrain", "--data", "CSV", "--pretrain", "ae", "--out", "LINK"), "pretrain",
                        "--out LINK is the input given as --data CSV"},
                new Object[] {List.of("predict", "--model", "MODEL", "--data", "CSV", "--out", "CSV"), "predict",
                        "--out CSV is the input given as --data CSV"},
                new Object[] {List.of("predict", "--model", "MODEL", "--data", "CSV", "--out", "MODEL"), "predict",
                        "--out MODEL is the input given as --model MODEL"},
                new Object[] {List.of("bench", "--data", "CSV", "--report", "CSV"), "bench",
                        "--report CSV is the input given as --data CSV"});
    }

    /**
     * An output that names one of the run's inputs (by the same path or another, here a symbolic link)
     * would replace the data or model the run reads: refused before the run, the input untouched.
     */
    @ParameterizedTest
    @MethodSource("outputsThatAreInputs")
    void anOutputThatIsAnInputIsRefusedAndTheInputKept(List<String> template, String command, String expected)
            throws IOException {
        StringBuilder rows = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i % 7).append(',').append(i % 3).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = Files.writeString(dir.resolve("data.csv"), rows);
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), csv);
        Path recipe = Files.writeString(dir.resolve("r.yaml"), "data: digits\nhidden: 8\nepochs: 1\n");
        Map<String, String> names = Map.of("CSV", csv.toString(), "LINK", link.toString(), "RECIPE",
                recipe.toString(), "MODEL", model.toString());
        java.util.function.UnaryOperator<String> fill = t -> {
            for (Map.Entry<String, String> e : names.entrySet()) {
                t = t.replace(e.getKey(), e.getValue());
            }
            return t;
        };
        byte[] data = Files.readAllBytes(csv);
        byte[] recipeBytes = Files.readAllBytes(recipe);
        byte[] modelBytes = Files.readAllBytes(model);
        assertRefused(run(template.stream().map(fill).toArray(String[]::new)), command, fill.apply(expected));
        assertArrayEquals(data, Files.readAllBytes(csv), "the data");
        assertArrayEquals(recipeBytes, Files.readAllBytes(recipe), "the recipe");
        assertArrayEquals(modelBytes, Files.readAllBytes(model), "the model");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("data.csv", "link.csv", "model.safetensors", "r.yaml"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written");
        }
    }

    /**
     * The --init-from model may be the --out: it is read before training and replaced by the new one;
     * no other output may name it (a report written over the model).
     */
    @Test
    void theInitFromModelMayBeReplacedByTheNewOneOnly() throws IOException {
        byte[] before = Files.readAllBytes(model);
        assertRefused(run("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java",
                "--init-from", model.toString(), "--report", model.toString()), "train", "--report " + model
                + " is the input given as --init-from " + model);
        assertRefused(run("bench", "--data", "digits", "--hidden", "8", "--backend", "java", "--init-from",
                model.toString(), "--report", model.toString()), "bench", "--report " + model
                + " is the input given as --init-from " + model);
        assertArrayEquals(before, Files.readAllBytes(model));
        Run r = run("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--backend", "java", "--init-from",
                model.toString(), "--out", model.toString());
        assertEquals(0, r.status(), r.err());
    }

    // ---------------------------------------------------------------- data flags and recipe keys

    @Test
    void aMissingTestDataFileIsNamedAsTestData() {
        Path absent = dir.resolve("no-test.csv");
        assertRefused(run("train", "--data", "digits", "--test-data", absent.toString()), "train",
                "--test-data " + absent + ": no such file or directory");
    }

    @Test
    void anEmptyTestDataInARecipeIsRefusedByName() throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.yaml"), "data: digits\ntest-data: \"\"\n");
        assertRefused(run("train", "--recipe", recipe.toString()), "train", recipe + " line 2: test-data is empty;");
    }

    @Test
    void dataPathsInARecipeResolveAgainstTheRecipeFileAndErrorsNameTheRecipeLine() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("runs"));
        StringBuilder csv = new StringBuilder("label,x1,x2\n");
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            csv.append((char) ('a' + c)).append(',').append(c).append(',').append(c == 1 ? 1 : 0).append('\n');
        }
        Files.writeString(sub.resolve("train.csv"), csv);
        // a recipe in runs/ that names train.csv: found next to the recipe, wherever the command runs
        Path recipe = Files.writeString(sub.resolve("r.yaml"), "data: train.csv\nhidden: 8\nepochs: 40\n"
                + "batch-size: 8\nvalidation-fraction: 0\n");
        Run r = run("train", "--recipe", recipe.toString(), "--backend", "java", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> m = (Map<?, ?>) org.nettricks.io.internal.Json.parse(r.out().trim());
        assertEquals(sub.resolve("train.csv").toString(), ((Map<?, ?>) m.get("recipe")).get("data"));
        assertEquals(1.0, (Double) m.get("accuracy"), "three separable classes");
        // a missing test file named by the recipe: the recipe's file and line, and the resolved path
        Path bad = Files.writeString(sub.resolve("bad.yaml"), "data: train.csv\ntest-data: held-out.csv\n");
        assertRefused(run("train", "--recipe", bad.toString()), "train", bad + " line 2: test-data "
                + sub.resolve("held-out.csv") + ": no such file or directory");
        // the same file given with the flag is named by the flag, relative to the working directory
        assertRefused(run("train", "--recipe", bad.toString(), "--test-data", "held-out.csv"), "train",
                "--test-data held-out.csv: no such file or directory");
    }

    // ---------------------------------------------------------------- bench

    @Test
    void benchReportsADivergingRunAsTrainDoes() {
        Run bench = run("bench", "--data", "digits", "--hidden", "8", "--lr", "100", "--measure-epochs", "1",
                "--infer-reps", "1", "--backend", "java");
        assertEquals(1, bench.status(), bench.err());
        assertFalse(bench.err().contains("internal error"), bench.err());
        Run train = run("train", "--data", "digits", "--hidden", "8", "--lr", "100", "--epochs", "2", "--backend",
                "java");
        assertEquals(1, train.status(), train.err());
        // the same message as train's (bench shuffles with its own generator: the step and loss differ)
        for (Run r : List.of(train, bench)) {
            String command = r == train ? "train" : "bench";
            assertTrue(r.err().contains("nettricks " + command + ": training diverged at epoch 1, step "), r.err());
            assertTrue(r.err().contains("; decrease the learning rate (it is 100.0), or clip the gradients"
                    + " (--clip-norm)"), r.err());
        }
        assertTrue(bench.out().isEmpty(), "no throughput figures for a run that diverged: " + bench.out());
    }

    // ---------------------------------------------------------------- sizes (class 3)

    static Stream<Object[]> sizesTooLarge() {
        // every size needs far more than any JVM heap here: 40 million units (3·10⁹ parameters, > 33 GiB
        // with their gradients), or a batch of 10⁸ examples of 1,000 units (> 1 TiB of activations)
        return Stream.of(
                new Object[] {List.of("--hidden", "40000000"), null, "--hidden 40000000: training a 64-40000000-10"},
                new Object[] {List.of("--hidden", "100,40000000"), null, "--hidden 100,40000000: training a"
                        + " 64-100-40000000-10"},
                new Object[] {List.of("--hidden", "1000", "--batch-size", "100000000"), null, "--batch-size 100000000:"
                        + " training a 64-1000-10"},
                new Object[] {List.of(), "hidden: 40000000\n", "R line 2: hidden 40000000: training a"
                        + " 64-40000000-10"},
                new Object[] {List.of(), "hidden: [1000]\nbatch-size: 100000000\n", "R line 3: batch-size 100000000:"
                        + " training a 64-1000-10"},
                new Object[] {List.of("--optimizer", "adam"), "hidden: 40000000\n", "R line 2: hidden 40000000:"
                        + " training a 64-40000000-10 network in float32 with adam"});
    }

    @ParameterizedTest
    @MethodSource("sizesTooLarge")
    void sizesFromFlagsAndRecipesAreCheckedBeforeAllocation(List<String> flags, String recipe, String expected)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--epochs", "1", "--backend", "java"));
        String fragment = expected;
        if (recipe != null) {
            Path r = Files.writeString(dir.resolve("r.yaml"), "data: digits\n" + recipe);
            args.addAll(List.of("--recipe", r.toString()));
            fragment = expected.replace("R line", r + " line");
        } else {
            args.addAll(List.of("--data", "digits"));
        }
        args.addAll(flags);
        Run r = run(args.toArray(String[]::new));
        assertRefused(r, "train", fragment);
        assertTrue(r.err().contains("but the JVM's maximum heap is"), r.err());
        assertTrue(r.out().isEmpty(), "nothing trained: " + r.out());
    }

    @Test
    void aSearchSpaceIsCheckedAgainstItsLargestTrialBeforeAnyTrial() throws IOException {
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 1\n"
                + "hidden: choice(16, 40000000)\nlr: loguniform(0.01, 0.1)\n");
        Path out = dir.resolve("search");
        Run r = run("search", "--space", space.toString(), "--out", out.toString(), "--trials", "4");
        assertRefused(r, "search", "search space hidden = choice(16, 40000000): the value 40000000: training a"
                + " 64-40000000-10 network");
        assertFalse(Files.exists(out), "no results directory");
        // a batch-size range: its upper end is the largest trial
        Path batches = Files.writeString(dir.resolve("batches.yaml"), "data: digits\nepochs: 1\nhidden: 1000\n"
                + "batch-size: int(16, 100000000)\n");
        assertRefused(run("search", "--space", batches.toString(), "--out", out.toString()), "search",
                "search space batch-size = int(16, 100000000): the value 100000000: training a 64-1000-10");
    }

    // ---------------------------------------------------------------- provenance (class 9)

    @Test
    void thePureJavaBackendRecordsThatNoBlasComputed() throws IOException {
        Map<String, String> meta = Safetensors.read(model).metadata();
        assertEquals("java x" + Runtime.getRuntime().availableProcessors(), meta.get("backend"));
        assertEquals("none (pure-Java loops)", meta.get("blas"));
        assertFalse(meta.containsKey("blas_kernel"));
    }

    @Test
    void openBlasRecordsItsLibraryAndTheKernelForcedWithOpenblasCoretype() throws Exception {
        Path forced = dir.resolve("forced.safetensors");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.nettricks.cli.Main", "train", "--data", "digits",
                "--hidden", "8", "--epochs", "1", "--backend", "openblas", "--out", forced.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile());
        pb.environment().put("OPENBLAS_CORETYPE", "Haswell");
        assertEquals(0, pb.start().waitFor(), Files.readString(dir.resolve("log")));
        Map<String, String> meta = Safetensors.read(forced).metadata();
        assertEquals("Haswell", meta.get("openblas_coretype"));
        assertEquals("Haswell", meta.get("blas_kernel"), "OpenBLAS runs the kernel it is told to");
        assertTrue(meta.get("blas").startsWith("OpenBLAS 0."), meta.get("blas"));
        // the backend's notice on standard error names the same build
        assertTrue(Files.readString(dir.resolve("log")).contains("backend: openblas (" + meta.get("blas")));
    }
}
