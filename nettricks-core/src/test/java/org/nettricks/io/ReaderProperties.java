package org.nettricks.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.nettricks.InvalidInputException;

/**
 * What the readers' property tests check of every input: it is read, or it is refused with an
 * {@link InvalidInputException} carrying a message, never another exception; and reading it
 * allocates no more than the input justifies.
 */
public final class ReaderProperties {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ReaderProperties() {
    }

    /** A scratch directory, in memory where the system has one: thousands of files are written. */
    public static Path scratchDirectory(String prefix) {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix)
                    : Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code file}, replacing it. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code read}: returns its result, or null when it refused the input with an
     * InvalidInputException and a message; fails on any other exception or error, and when it
     * allocated more than {@code allowedBytes}.
     */
    public static <T> T readOrRefuse(Supplier<T> read, long allowedBytes) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = null;
        try {
            result = read.get();
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a message");
            assertFalse(e.getMessage().contains("\n"), () -> "a refusal on more than one line: " + e.getMessage());
        } catch (Throwable t) {
            fail("not an InvalidInputException: " + t, t);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= allowedBytes, "allocated " + allocated + " bytes, more than the " + allowedBytes
                + " the input justifies");
        return result;
    }
}
