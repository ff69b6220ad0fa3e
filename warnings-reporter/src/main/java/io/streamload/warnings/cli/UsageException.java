package io.streamload.warnings.cli;

/** The command line is wrong: the user gets the message and exit code 2, not a stack trace. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
