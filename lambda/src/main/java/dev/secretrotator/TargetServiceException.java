package dev.secretrotator;

/**
 * A call to AWS or to the credential's target service failed. Usually transient: Secrets Manager
 * retries the rotation, and every step is safe to re-run.
 */
public class TargetServiceException extends RotationException {
    public TargetServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    public TargetServiceException(String message) {
        super(message);
    }
}
