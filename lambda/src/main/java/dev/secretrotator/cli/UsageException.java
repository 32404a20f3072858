package dev.secretrotator.cli;

/** A command line that cannot be run as given (exit status 2); the message says what to change. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
