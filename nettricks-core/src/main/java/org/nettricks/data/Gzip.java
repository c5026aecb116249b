package org.nettricks.data;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;

/** What went wrong in a gzip stream, in words (the JDK's exceptions often carry no message at all). */
final class Gzip {
    private Gzip() {
    }

    /** True for the exceptions a damaged or fake gzip stream ends in. */
    static boolean isGzipProblem(IOException e) {
        return e instanceof ZipException || e instanceof EOFException;
    }

    /**
     * The problem of a damaged gzip file, as the end of a message after its path: e.g. {@code is not
     * gzip data (...)}, {@code is a truncated gzip file (...)}; never "null".
     */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("Not in GZIP format")) {
            return "is not gzip data: it does not start with gzip's magic bytes 1f 8b although its name ends in"
                    + " .gz; if it is not compressed, rename it without .gz, else download it again";
        }
        if (e instanceof EOFException || m == null || m.contains("Unexpected end")) {
            return "is a truncated gzip file: the compressed stream ends before its end marker; the file is"
                    + " incomplete, download or copy it again";
        }
        return "is a corrupt gzip file (" + m + "); download or copy it again";
    }
}
