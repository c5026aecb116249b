package org.nettricks.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.openblas.BlasLibrary.Choice;
import org.nettricks.openblas.BlasLibrary.Decision;
import org.nettricks.openblas.BlasLibrary.Probe;

/** NETTRICKS_BLAS: how the setting is read, what each value means, and which library ends up mapped. */
class BlasLibraryTest {
    @Test
    void theSystemPropertyWinsOverTheEnvironmentAndAutoIsTheDefault() {
        assertEquals(Choice.AUTO, BlasLibrary.choice(null, null));
        assertEquals(Choice.AUTO, BlasLibrary.choice(null, " "));
        assertEquals(Choice.BUNDLED, BlasLibrary.choice(null, "bundled"));
        assertEquals(Choice.SYSTEM, BlasLibrary.choice(null, " System "));
        assertEquals(Choice.BUNDLED, BlasLibrary.choice("bundled", "system"));
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> BlasLibrary.choice(null, "mkl"));
        assertEquals("NETTRICKS_BLAS must be auto, bundled or system, got 'mkl'", env.getMessage());
        IllegalArgumentException property = assertThrows(IllegalArgumentException.class,
                () -> BlasLibrary.choice("sytem", "auto"));
        assertEquals("-Dnettricks.blas must be auto, bundled or system, got 'sytem'", property.getMessage());
    }

    @Test
    void autoTakesTheSystemsLibraryOnlyWhenItRunsOnPosixThreads() {
        assertEquals(new Decision(true, "the system's", null, null),
                BlasLibrary.decide(Choice.AUTO, new Probe(true, 1, "OpenBLAS 0.3.21")));
        assertEquals(new Decision(false, "bundled", "the system's is sequential", null),
                BlasLibrary.decide(Choice.AUTO, new Probe(true, 0, "OpenBLAS 0.3.21")));
        assertEquals(new Decision(false, "bundled", "the system's is OpenMP", null),
                BlasLibrary.decide(Choice.AUTO, new Probe(true, 2, "OpenBLAS 0.3.21")));
        assertEquals(new Decision(false, "bundled", null, null), BlasLibrary.decide(Choice.AUTO, Probe.NONE));
    }

    @Test
    void bundledIgnoresTheSystemAndSystemRequiresOne() {
        assertEquals(new Decision(false, "bundled", "NETTRICKS_BLAS=bundled", null),
                BlasLibrary.decide(Choice.BUNDLED, new Probe(true, 1, "x")));
        Decision sequential = BlasLibrary.decide(Choice.SYSTEM, new Probe(true, 0, "x"));
        assertTrue(sequential.system(), "asked for, so taken whatever its threading");
        Decision none = BlasLibrary.decide(Choice.SYSTEM, Probe.NONE);
        assertFalse(none.system());
        assertEquals("NETTRICKS_BLAS=system, but no system OpenBLAS (libopenblas.so.0) loads here: install one"
                + " (Debian: apt-get install libopenblas0-pthread) or set NETTRICKS_BLAS=auto", none.error());
    }

    @Test
    void theNoticeNamesTheSettingThatChose() {
        assertEquals("-Dnettricks.blas", BlasLibrary.settingName("bundled"));
        assertEquals("NETTRICKS_BLAS", BlasLibrary.settingName(null));
        assertEquals(new Decision(false, "bundled", "-Dnettricks.blas=bundled", null),
                BlasLibrary.decide(Choice.BUNDLED, Probe.NONE, "-Dnettricks.blas"));
        assertEquals("-Dnettricks.blas=system, but no system OpenBLAS (libopenblas.so.0) loads here: install one"
                + " (Debian: apt-get install libopenblas0-pthread) or set -Dnettricks.blas=auto",
                BlasLibrary.decide(Choice.SYSTEM, Probe.NONE, "-Dnettricks.blas").error());
    }

    @Test
    void aCheckpointsLibraryIsNamedBackBySetting() {
        assertEquals("to resume with the checkpoint's library, set NETTRICKS_BLAS=bundled, or -Dnettricks.blas=bundled"
                + " where that property is set", BlasLibrary.advice("OpenBLAS 0.3.31 DYNAMIC_ARCH Zen; bundled"));
        assertEquals("to resume with the checkpoint's library, set NETTRICKS_BLAS=system, or -Dnettricks.blas=system"
                + " where that property is set", BlasLibrary.advice("OpenBLAS 0.3.21 NO_LAPACKE Zen; the system's"));
        assertEquals("NETTRICKS_BLAS or -Dnettricks.blas chooses the OpenBLAS library",
                BlasLibrary.advice("OpenBLAS 0.3.21; org.bytedeco.openblas.load=openblas"));
    }

    @Test
    void theHelpersProbeAnswerParses() {
        assertEquals(new Probe(true, 1, "OpenBLAS 0.3.21 NO_LAPACKE"), Probe.parse("1\tOpenBLAS 0.3.21 NO_LAPACKE\n"));
        assertEquals(new Probe(true, -1, ""), Probe.parse("-1\t"));
        assertEquals(Probe.NONE, Probe.parse(null));
    }

    /**
     * The library the backend names is the one the process has mapped (/proc/self/maps, the
     * kernel's own account): the bundled file from org.bytedeco:openblas's jar, or a file with the
     * same bytes as the system's OpenBLAS that {@code ldconfig -p} lists (JavaCPP maps a copy of it
     * from its cache).
     */
    @Test
    void theNamedLibraryIsTheMappedOne() throws IOException, InterruptedException {
        Path maps = Path.of("/proc/self/maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps) && OpenBlasBackend.zeroCopy(),
                "needs Linux and the zero-copy helper");
        try (OpenBlasBackend backend = new OpenBlasBackend(1)) {
            assertEquals("openblas", backend.name());
        }
        String version = OpenBlasBackend.version();
        List<Path> mapped = Files.readAllLines(maps).stream().filter(l -> l.contains("libopenblas"))
                .map(l -> Path.of(l.substring(l.indexOf('/')))).distinct().toList();
        Path system = systemOpenBlas();
        boolean systemMapped = false;
        for (Path p : mapped) {
            systemMapped |= system != null && Files.mismatch(p, system) == -1;
        }
        if (version.contains("; bundled")) {
            assertTrue(version.startsWith("OpenBLAS 0.3.31 "), version);
            assertTrue(mapped.stream().anyMatch(p -> p.toString().endsWith(
                    "org/bytedeco/openblas/linux-x86_64/libopenblas_nolapack.so.0")), mapped.toString());
            assertFalse(systemMapped, "the system's OpenBLAS is not mapped: " + mapped);
        } else if (version.contains("; the system's")) {
            assertTrue(systemMapped, system + " among " + mapped);
        } else {
            // only org.bytedeco.openblas.load, set by whoever runs the tests, leaves the choice to JavaCPP
            assertTrue(version.contains("; " + BlasLibrary.BYTEDECO_PROPERTY + "="), version);
        }
    }

    /** The file ldconfig's cache resolves libopenblas.so.0 to, or null. */
    private static Path systemOpenBlas() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(String::strip)
                .filter(l -> l.startsWith("libopenblas.so.0 ") && l.contains("x86-64") && l.contains("=> "))
                .map(l -> Path.of(l.substring(l.indexOf("=> ") + 3).strip())).findFirst().orElse(null);
    }
}
