package dev.secretrotator;

/**
 * The event or the secret's value is malformed or names something unknown: fix the input;
 * retrying will not help. Nothing was changed.
 */
public class InvalidInputException extends RotationException {
    public InvalidInputException(String message) {
        super(message);
    }
}
