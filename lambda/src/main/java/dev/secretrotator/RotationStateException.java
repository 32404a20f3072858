package dev.secretrotator;

/**
 * The secret's rotation state does not allow the step: rotation disabled, unknown version token,
 * a token without {@code AWSPENDING}, or a secret outside this function's allow-list.
 */
public class RotationStateException extends RotationException {
    public RotationStateException(String message) {
        super(message);
    }
}
