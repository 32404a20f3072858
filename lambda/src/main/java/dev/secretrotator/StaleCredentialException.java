package dev.secretrotator;

/**
 * A previous credential is still in use, so it cannot be retired to make room for a new one.
 * Nothing was created or deleted. Wait until consumers have moved to {@code AWSCURRENT}, or run an
 * emergency rotation to revoke it at once.
 */
public class StaleCredentialException extends RotationException {
    public StaleCredentialException(String message) {
        super(message);
    }
}
