package dev.secretrotator.testing.iam;

/** The policy uses something {@link PolicyEvaluator} does not evaluate; never treated as a pass. */
public final class UnsupportedPolicyException extends RuntimeException {
    public UnsupportedPolicyException(String message) {
        super(message);
    }
}
