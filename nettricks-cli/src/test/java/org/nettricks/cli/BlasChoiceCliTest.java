package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.Safetensors;

/**
 * NETTRICKS_BLAS from the command line, in child processes (the library loads once per process):
 * a wrong value stops with one line and exit 2, {@code bundled} runs the bundled OpenBLAS, and
 * {@code auto} and {@code system} take the system's exactly when the dynamic loader's cache
 * ({@code ldconfig -p}, asked independently of NetTricks) lists a POSIX-threads OpenBLAS.
 */
class BlasChoiceCliTest {
    @TempDir
    Path dir;

    private record Child(int status, String err) {
    }

    private Child train(String blas, Path out) throws IOException, InterruptedException {
        return child(blas, "train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--out", out.toString());
    }

    /** Runs {@code nettricks ARGS} in a child JVM with NETTRICKS_BLAS set to {@code blas} (unset when null). */
    private Child child(String blas, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "org.nettricks.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("err").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("NETTRICKS_BLAS");
        if (blas != null) {
            pb.environment().put("NETTRICKS_BLAS", blas);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "train finishes");
        return new Child(p.exitValue(), Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    /** The first line: the backend's notice. */
    private static String notice(Child c) {
        return c.err().lines().findFirst().orElse("");
    }

    /** The real path of the POSIX-threads OpenBLAS that ldconfig lists as libopenblas.so.0, or null. */
    private static Path systemPthreadsOpenBlas() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.lines().toList()) {
            if (line.strip().startsWith("libopenblas.so.0 ") && line.contains("x86-64") && line.contains("=> ")) {
                Path real = Path.of(line.substring(line.indexOf("=> ") + 3).strip()).toRealPath();
                return real.toString().contains("pthread") || real.getFileName().toString().startsWith("libopenblasp")
                        ? real : null;
            }
        }
        return null;
    }

    @Test
    void aWrongValueStopsWithOneLineAndNoModel() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Child c = train("mkl", out);
        assertEquals(2, c.status(), c.err());
        assertEquals("nettricks train: error: NETTRICKS_BLAS must be auto, bundled or system, got 'mkl'",
                c.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void bundledRunsTheBundledLibraryAndTheModelRecordsIt() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Child c = train("bundled", out);
        assertEquals(0, c.status(), c.err());
        assertTrue(notice(c).startsWith("backend: openblas (OpenBLAS 0.3.31 "), notice(c));
        assertTrue(notice(c).contains("; bundled, NETTRICKS_BLAS=bundled), "), notice(c));
        // the model records the library, not how it was chosen: the same as under auto on a machine without its own
        Map<String, String> meta = Safetensors.read(out).metadata();
        assertTrue(meta.get("blas").startsWith("OpenBLAS 0.3.31 ") && meta.get("blas").endsWith("; bundled"),
                meta.get("blas"));
        assertTrue(notice(c).contains("(" + meta.get("blas") + ", NETTRICKS_BLAS=bundled)"), notice(c));
    }

    /** A checkpoint written with one library is resumed only with the same one, and the refusal names the fix. */
    @Test
    void aCheckpointResumesOnlyWithItsLibrary() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(systemPthreadsOpenBlas() != null,
                "needs a system OpenBLAS on POSIX threads beside the bundled one");
        Path ck = dir.resolve("ck");
        Child first = child("bundled", "train", "--data", "digits", "--hidden", "8", "--epochs", "2", "--checkpoint",
                ck.toString(), "--out", dir.resolve("a.safetensors").toString());
        assertEquals(0, first.status(), first.err());
        Path out = dir.resolve("b.safetensors");
        Child other = child(null, "train", "--resume", ck.toString(), "--epochs", "3", "--out", out.toString());
        assertEquals(2, other.status(), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
        assertTrue(other.err().contains("refused: the blas is \"OpenBLAS 0.3.31 ") && other.err().contains(
                "(to resume with the checkpoint's library, set NETTRICKS_BLAS=bundled, or -Dnettricks.blas=bundled where that"
                + " property is set)"), other.err());
        assertFalse(Files.exists(out));
        Child same = child("bundled", "train", "--resume", ck.toString(), "--epochs", "3", "--out", out.toString());
        assertEquals(0, same.status(), same.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void autoAndSystemTakeTheSystemsLibraryWhereThereIsOne() throws Exception {
        Path system = systemPthreadsOpenBlas();
        Child auto = train(null, dir.resolve("a.safetensors"));
        Child asked = train("system", dir.resolve("s.safetensors"));
        if (system != null) {
            // Debian's file name carries its version: libopenblasp-r0.3.21.so
            String name = system.getFileName().toString();
            String version = name.replaceAll("^.*-r([0-9.]+[0-9]).*$", "$1");
            assertEquals(0, auto.status(), auto.err());
            assertTrue(notice(auto).startsWith("backend: openblas (OpenBLAS " + version + " "), notice(auto));
            assertTrue(notice(auto).contains("; the system's), "), notice(auto));
            assertEquals(0, asked.status(), asked.err());
            assertTrue(notice(asked).contains("; the system's, NETTRICKS_BLAS=system), "), notice(asked));
        } else {
            assertEquals(0, auto.status(), auto.err());
            assertTrue(notice(auto).startsWith("backend: openblas (OpenBLAS 0.3.31 "), notice(auto));
            if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"))) {
                assertEquals(2, asked.status(), asked.err());
                assertTrue(asked.err().strip().startsWith("nettricks train: error: NETTRICKS_BLAS=system, but no system"
                        + " OpenBLAS (libopenblas.so.0) loads here"), asked.err());
            }
        }
    }
}
