package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nettricks} command run in a child JVM that pauses inside a checkpoint write (the test
 * hook of {@link org.nettricks.training.CheckpointFile}: after {@code completeWrites} complete
 * writes, before or after the next one's rename) and is then killed with SIGKILL, as a crash or
 * {@code kill -9} would end it: no shutdown hook and no finally block runs in the child.
 */
final class KilledAtCheckpoint {
    private KilledAtCheckpoint() {
    }

    /**
     * Runs {@code args}, waits (at most 120 s) for the pause, waits {@code graceMillis} more (other
     * workers may reach a write too), kills the child and returns its exit status (137 when SIGKILL
     * ended it).
     *
     * @param marker the file the child writes when it pauses
     * @param log    the child's standard output and error
     */
    static int run(List<String> args, Path marker, int completeWrites, boolean afterRename, Path log,
                   long graceMillis) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dnettricks.test.pauseCheckpointWrite=" + marker,
                "-Dnettricks.test.pauseCheckpointAfter=" + completeWrites,
                "-Dnettricks.test.pauseCheckpointRenamed=" + afterRename, Main.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(marker)) {
                assertTrue(child.isAlive(), "the child ended before pausing: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "the child did not pause in time");
                Thread.sleep(20);
            }
            if (graceMillis > 0) {
                Thread.sleep(graceMillis);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor();
        }
        return child.exitValue();
    }
}
