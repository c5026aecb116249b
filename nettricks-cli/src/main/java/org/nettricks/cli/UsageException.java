package org.nettricks.cli;

import org.nettricks.InvalidInputException;

/** A bad command line: unknown flag, missing or malformed value. Exit status 2. */
final class UsageException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
