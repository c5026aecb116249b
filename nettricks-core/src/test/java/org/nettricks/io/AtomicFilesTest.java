package org.nettricks.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesWithTheUsualPermissionsAndLeavesNothingOnFailure() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "hello");
        assertEquals("hello", Files.readString(atomic));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        Path failed = dir.resolve("failed");
        assertThrows(IOException.class, () -> AtomicFiles.write(failed, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file and no target left behind");
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A temporary file as an interrupted write leaves it, {@code ageSeconds} old. */
    private Path leftOver(String name, long ageSeconds) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "half a model");
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - ageSeconds * 1000));
        return p;
    }

    @Test
    void aPermissionErrorNamesTheTargetAndTheReasonNotTheTemporaryFile() {
        // sysfs refuses new files even to root, whose permission bits never stop it
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(Path.of("/sys/model.safetensors"),
                "x"));
        assertEquals("cannot write /sys/model.safetensors: permission denied in /sys", e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("no/m"), "x"));
        assertEquals("cannot write " + dir.resolve("no/m") + ": directory " + dir.resolve("no") + " does not exist",
                missing.getMessage());
    }

    @Test
    void theNextWriteRemovesWhatInterruptedWritesToTheSameTargetLeft() throws IOException {
        leftOver(".model.safetensors.k3j2h1.tmp", 3600);
        leftOver(".model.safetensors.zz.tmp", 60);
        Path young = leftOver(".model.safetensors.abc.tmp", 0); // a writer may be about to lock it
        Path otherTarget = leftOver(".other.safetensors.k3j2h1.tmp", 3600);
        Path notOurs = leftOver(".model.safetensors.tmp", 3600); // not a name AtomicFiles makes
        Path notOurs2 = leftOver(".model.safetensors.K3J.tmp", 3600);
        AtomicFiles.writeString(dir.resolve("model.safetensors"), "new");
        assertEquals(Stream.of(young, notOurs2, notOurs, otherTarget, dir.resolve("model.safetensors"))
                .map(p -> p.getFileName().toString()).sorted().toList(), names(), "only the two stale files went");
        assertEquals("new", Files.readString(dir.resolve("model.safetensors")));
    }

    /** Holds an exclusive lock on the file named by its argument until its standard input closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws IOException {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                ch.lock();
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    @Test
    void aTemporaryFileLockedByAnotherProcessIsLeftAlone() throws Exception {
        Path live = leftOver(".model.safetensors.live1.tmp", 3600); // a slow writer: old, but alive
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), live.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
                    .readLine());
            AtomicFiles.writeString(dir.resolve("model.safetensors"), "new");
            assertTrue(Files.exists(live), "another process's file in use is kept");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // once its writer is gone (killed, or exited without renaming it) it is stale
        AtomicFiles.writeString(dir.resolve("model.safetensors"), "newer");
        assertFalse(Files.exists(live));
        assertEquals(List.of("model.safetensors"), names());
    }

    @Test
    void aConcurrentWriteInThisProcessIsLeftAlone() throws Exception {
        Path target = dir.resolve("model.safetensors");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slow = new Thread(() -> {
            try {
                AtomicFiles.write(target, out -> {
                    out.write("slow".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        slow.start();
        assertTrue(writing.await(30, TimeUnit.SECONDS));
        Path tmp;
        try (Stream<Path> files = Files.list(dir)) {
            tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000)); // old, yet live
        AtomicFiles.writeString(target, "fast");
        assertTrue(Files.exists(tmp), "the other thread's temporary file is kept");
        release.countDown();
        slow.join(30_000);
        assertEquals("slow", Files.readString(target), "the slow write completes, last");
        assertEquals(List.of("model.safetensors"), names());
    }
}
