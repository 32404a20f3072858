package dev.secretrotator;

/** The pending credential could not be proven to work; {@code AWSCURRENT} was left untouched. */
public class VerificationException extends RotationException {
    public VerificationException(String message) {
        super(message);
    }
}
