package org.nettricks.io.internal;

import org.nettricks.InvalidInputException;

/**
 * The check every reader makes between validating a description and allocating what it announces:
 * the bytes it would need must fit in the JVM's maximum heap ({@link Runtime#maxMemory()}). A reader
 * first bounds the announced sizes by the input's own size (a safetensors file's data, an IDX file's
 * body or the most its gzip stream can expand to), then asks here, so a corrupt or hostile count is
 * refused with a message instead of an {@link OutOfMemoryError} or a multi-gigabyte allocation.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * Refuses, naming {@code source} and {@code announced}, when {@code bytesNeeded} exceeds the
     * maximum heap. Deliberately not "the heap less what is in use": that depends on when the
     * collector last ran, and the same file must be accepted or refused the same way every time.
     */
    public static void require(String source, String announced, long bytesNeeded) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytesNeeded > max) {
            throw new InvalidInputException(source + ": " + announced + " would need " + mib(bytesNeeded)
                    + " of memory but the JVM's maximum heap is " + mib(max) + "; check the file, or raise the"
                    + " heap limit (e.g. NETTRICKS_JAVA_OPTS=-Xmx" + suggestGib(bytesNeeded) + "g)");
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long suggestGib(long bytes) {
        return Math.max(1, (long) Math.ceil(bytes * 1.5 / (1L << 30)));
    }
}
