package org.nettricks.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Writes files atomically: to a temporary file in the same directory, flushed to disk, then
 * renamed over the target. A reader sees the old file or the new one, never half of one; a failed
 * write leaves nothing behind.
 *
 * <p>The temporary file of target {@code DIR/NAME} is {@code DIR/.NAME.<random>.tmp}. A process
 * killed while writing (kill -9, a power cut, Ctrl-C: the JVM does not run a thread's cleanup on
 * exit) leaves one behind; the next write to the same target removes it. A temporary file is
 * removed only when no writer can still be using it: the writer holds an exclusive lock on its
 * temporary file from the moment it creates it to the rename (an OS lock, released by the kernel
 * when the process dies, so a crashed writer's file is unlocked and a live writer's, in this or
 * another process, is not), and a file younger than {@value #STALE_AFTER_SECONDS} seconds is never
 * touched, which covers the instant between a writer creating its file and locking it. Age alone
 * would not do: a writer may take minutes over a large file, and an old file's age says nothing
 * about whether its writer is alive. Other files in the directory are never touched.
 */
public final class AtomicFiles {
    /** A temporary file younger than this is left alone even when unlocked (its writer may be about to lock it). */
    static final long STALE_AFTER_SECONDS = 10;

    /** The temporary files this JVM is writing: locks are per process, so its own are recognized here. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with the bytes {@code writer} produces, first removing the
     * temporary files that interrupted writes to the same target left behind.
     *
     * @throws IOException naming the target and the reason (e.g. {@code cannot write
     *                     /d/model.safetensors: permission denied in /d}) when the directory is
     *                     missing or not writable; the writer's own exceptions pass unchanged
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        String name = absolute.getFileName().toString();
        removeStale(dir, name);
        // createFile (not createTempFile, which makes the file private) so the result gets the same
        // permissions as any file the user creates there
        Path tmp = dir.resolve("." + name + "."
                + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        WRITING.add(tmp);
        boolean done = false;
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            WRITING.remove(tmp);
            throw new IOException("cannot write " + target + ": " + reason(e) + " in " + dir, e);
        }
        try {
            try (ch; OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch),
                         1 << 16)) {
                ch.lock(); // released when the channel closes, after the rename
                writer.write(out);
                out.flush();
                ch.force(true);
                try {
                    Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
                } catch (FileSystemException e) {
                    throw new IOException("cannot write " + target + ": " + reason(e), e);
                }
                done = true;
            }
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
            WRITING.remove(tmp);
        }
    }

    /** Writes a text file atomically in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The temporary files of target {@code name} in {@code dir}: {@code .NAME.<base-36 digits>.tmp}. */
    static Pattern temporaryNames(String name) {
        return Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-z]{1,13}\\.tmp");
    }

    /**
     * Removes the temporary files of earlier, interrupted writes to {@code dir/name}: those that no
     * writer holds locked and that are older than {@link #STALE_AFTER_SECONDS}. Best effort: a file
     * that cannot be examined or removed is left.
     */
    static void removeStale(Path dir, String name) {
        removeStaleTemporaryFiles(dir, Pattern.quote(name));
    }

    /**
     * Removes the temporary files that interrupted writes left in {@code dir} for every target whose
     * name matches the regular expression {@code targetNames} (e.g. the numbered checkpoints of a
     * directory, each written once, so that no later write to the same name would remove them), on the
     * rules of {@link #write}: only files no writer holds locked and older than {@value #STALE_AFTER_SECONDS}
     * seconds. Best effort.
     */
    public static void removeStaleTemporaryFiles(Path dir, String targetNames) {
        Pattern pattern = Pattern.compile("\\.(?:" + targetNames + ")\\.[0-9a-z]{1,13}\\.tmp");
        long cutoff = System.currentTimeMillis() - STALE_AFTER_SECONDS * 1000;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> pattern.matcher(p.getFileName().toString()).matches())) {
            for (Path p : entries) {
                if (WRITING.contains(p)) {
                    continue; // this JVM is writing it: opening and closing it here would drop the writer's lock
                }
                try {
                    if (Files.getLastModifiedTime(p).toMillis() > cutoff || !Files.isRegularFile(p)) {
                        continue;
                    }
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        FileLock lock = ch.tryLock();
                        if (lock != null) { // no process holds it: its writer is gone
                            Files.deleteIfExists(p);
                            lock.release();
                        }
                    } catch (OverlappingFileLockException e) {
                        // locked by this JVM after all
                    }
                } catch (IOException e) {
                    // unreadable, or removed meanwhile: leave it
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a directory we cannot list: the write itself will say what is wrong
        }
    }

    /** What went wrong, in words, without the temporary file's name that a {@link FileSystemException} carries. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
