package org.nettricks.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nettricks.InvalidInputException;

/**
 * Checks the files and directories a command will write before it starts its work, so that a path
 * that cannot be written is refused at once (exit status 2, naming the flag) rather than after an
 * hour of training, and so that one output is never written when another of the same run would
 * fail (a model saved over an existing one, then the {@code --filters} PNG refused).
 */
final class OutputPaths {
    private final Map<Path, String> claimed = new LinkedHashMap<>();
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    /** For an input, the one output flag allowed to name it (the {@code --init-from} model's {@code --out}). */
    private final Map<String, String> replaceableBy = new LinkedHashMap<>();

    /** Checks outputs against nothing but each other. */
    OutputPaths() {
    }

    /**
     * Checks outputs against each other and against the recipe's input files too: its data and test
     * data, its {@code --init-from} model, and the recipe file ({@code --recipe}) when {@code flags} has
     * one. The {@code --init-from} model may be the {@code --out} (it is read whole before training,
     * and the new model replaces it), no other output.
     */
    static OutputPaths forRecipe(org.nettricks.config.Recipe recipe, Flags flags) {
        OutputPaths paths = new OutputPaths();
        paths.input("--data", recipe.data().source());
        paths.input("--test-data", recipe.data().testData());
        paths.input("--init-from", recipe.network().initFrom());
        if (recipe.network().initFrom() != null) {
            paths.replaceableBy.put("--init-from " + recipe.network().initFrom(), "--out");
        }
        if (flags != null && flags.has("--recipe")) {
            paths.input("--recipe", flags.string("--recipe", null));
        }
        return paths;
    }

    /**
     * A file or directory the command reads: an output that names it (the same file, by any path) is
     * refused, since writing it would destroy the input. Names that are not existing files (a
     * built-in data set such as {@code digits}, null) are ignored.
     *
     * @return this
     */
    OutputPaths input(String flag, String value) {
        if (value != null) {
            try {
                Path path = Path.of(value);
                if (Files.exists(path)) {
                    inputs.put(flag + " " + value, path);
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a file name: the command's own check of that input says so
            }
        }
        return this;
    }

    /**
     * Checks a file that the command will write atomically: its directory exists and accepts a new
     * file (tried by creating and removing an empty one: permission bits do not tell, e.g. for root
     * or on a read-only mount), the path is not a directory, and no other output flag of this run
     * names it.
     *
     * @return the path
     * @param flag the flag, or a recipe key in backquotes ({@code `report`}), which the command line
     *             shows as the flag or the recipe file's line that gave it
     * @throws UsageException naming {@code flag} and what to change
     */
    Path file(String flag, String value) {
        return file(flag, value, flag.equals("--filters") ? "filters.png" : flag.contains("report") ? "report.html"
                : "model.safetensors");
    }

    /** As {@link #file(String, String)}, suggesting {@code example} as a file name when a directory is given. */
    Path file(String flag, String value, String example) {
        Path path = Path.of(value);
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UsageException(flag + " " + value + ": directory " + dir + " does not exist; create it or"
                    + " choose another path");
        }
        if (Files.isDirectory(path)) {
            throw new UsageException(flag + " " + value + " is a directory; give a file name such as "
                    + path.resolve(example));
        }
        claim(flag, value, path);
        probe(flag, value, dir);
        return path;
    }

    /**
     * Checks a directory that the command creates if needed: the path is not a file, and it or its
     * nearest existing ancestor accepts new files.
     */
    Path directory(String flag, String value) {
        Path path = Path.of(value);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UsageException(flag + " " + value + " is a file, not a directory; give a directory (it is"
                    + " created if needed)");
        }
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new UsageException(flag + " " + value + ": " + existing + " is a file, not a directory; choose"
                    + " another path");
        }
        claim(flag, value, path);
        if (existing != null) {
            probe(flag, value, existing);
        }
        return path;
    }

    private void claim(String flag, String value, Path path) {
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (!flag.equals(replaceableBy.get(input.getKey())) && sameFile(path, input.getValue())) {
                throw new UsageException(flag + " " + value + " is the input given as " + input.getKey()
                        + "; writing it would overwrite that input: choose another path");
            }
        }
        Path key = path.toAbsolutePath().normalize();
        String other = claimed.putIfAbsent(key, flag);
        if (other != null) {
            throw new UsageException(flag + " " + value + " is also given to " + other + "; give each output its own"
                    + " file");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.isSameFile(a, b); // links, other spellings of the same file
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates and removes an empty file in {@code dir}: the one sure test that it takes new files. */
    private static void probe(String flag, String value, Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".nettricks-write-test.", ".tmp"));
        } catch (AccessDeniedException e) {
            throw new UsageException(flag + " " + value + ": cannot write in directory " + dir + ": permission denied;"
                    + " choose another directory or change its permissions");
        } catch (IOException e) {
            throw new UsageException(flag + " " + value + ": cannot write in directory " + dir + ": "
                    + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getClass().getSimpleName()) + "; choose another directory");
        }
    }

    /** The error for an output that failed while being written (a full disk, a directory removed meanwhile). */
    static InvalidInputException writeFailed(String flag, Path path, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new InvalidInputException(m.startsWith("cannot write ") ? flag + ": " + m
                : flag + " " + path + ": cannot write: " + m);
    }
}
