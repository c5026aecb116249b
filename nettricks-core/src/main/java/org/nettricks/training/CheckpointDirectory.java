package org.nettricks.training;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nettricks.InvalidInputException;
import org.nettricks.io.AtomicFiles;

/**
 * A directory of a run's checkpoints: {@code checkpoint-NNNNNNNNNNNN.safetensors}, numbered by the
 * optimizer steps taken (12 digits), each written atomically by {@link CheckpointFile}. After each
 * write the two newest are kept and older ones removed, with the temporary files of writes that a
 * killed process left behind. Other files in the directory are never touched.
 */
public final class CheckpointDirectory {
    /** How many complete checkpoints are kept. */
    public static final int KEEP = 2;
    private static final String NAMES = "checkpoint-[0-9]{12}\\.safetensors";
    private static final Pattern NAME = Pattern.compile("checkpoint-([0-9]{12})\\.safetensors");

    private final Path dir;

    /** The checkpoints of {@code dir}, which need not exist yet (the first write creates it). */
    public CheckpointDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    /** The file of the checkpoint after {@code steps} optimizer steps. */
    public Path file(long steps) {
        return dir.resolve(String.format(Locale.ROOT, "checkpoint-%012d.safetensors", steps));
    }

    /**
     * Writes a checkpoint, then removes all but the {@value #KEEP} newest and the stale temporary
     * files of interrupted writes.
     *
     * @throws IOException when the directory cannot be created or written
     */
    public Path write(long steps, Map<String, String> header, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        Path file = file(steps);
        CheckpointFile.write(file, header, state);
        List<Path> all = checkpoints();
        for (int i = KEEP; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        AtomicFiles.removeStaleTemporaryFiles(dir, NAMES);
        return file;
    }

    /**
     * Removes the directory's checkpoints, the temporary files of their writes, and the same in its
     * subdirectories (a training run's {@code pretrain/}), then the directories themselves when
     * nothing else is left in them: for a run that is over (a finished trial of a search). Other
     * files are never touched. Call it only when no process writes checkpoints there.
     *
     * @throws IOException when a file cannot be removed
     */
    public void deleteCheckpoints() throws IOException {
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Pattern temporary = Pattern.compile("\\.(?:" + NAMES + ")\\.[0-9a-z]{1,13}\\.tmp");
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            list.forEach(entries::add);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                delete(p);
            } else if (NAME.matcher(name).matches() || temporary.matcher(name).matches()) {
                Files.deleteIfExists(p);
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // files of someone else's: kept, and their directory with them
        }
    }

    /** The checkpoint files, newest (most steps) first; empty when the directory does not exist. */
    public List<Path> checkpoints() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (NAME.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return out;
    }

    /**
     * The latest checkpoint that reads back whole, and a notice for each newer one skipped (a file
     * damaged or cut short); null when there is none at all.
     *
     * @param accept checks a read checkpoint further (e.g. its recipe); what it throws is not a
     *               damaged file and is passed on
     * @throws InvalidInputException when every checkpoint is damaged: the newest one's problem
     * @throws IOException           when the directory cannot be listed
     */
    public Latest latest(java.util.function.Consumer<CheckpointFile.Contents> accept) throws IOException {
        List<Path> all = checkpoints();
        if (all.isEmpty()) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InvalidInputException(dir + " is not a directory; give the checkpoint directory");
            }
            return null;
        }
        List<String> skipped = new ArrayList<>();
        InvalidInputException first = null;
        for (Path p : all) {
            CheckpointFile.Contents c;
            try {
                c = CheckpointFile.read(p);
            } catch (InvalidInputException e) {
                if (first == null) {
                    first = e;
                }
                skipped.add(e.getMessage());
                continue;
            }
            accept.accept(c);
            return new Latest(c, skipped);
        }
        throw first;
    }

    /** The checkpoint to resume from, and what was skipped to reach it (one line each). */
    public record Latest(CheckpointFile.Contents contents, List<String> skipped) {
    }

    /** The step count in a checkpoint file's name, or -1 for another name. */
    public static long steps(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
