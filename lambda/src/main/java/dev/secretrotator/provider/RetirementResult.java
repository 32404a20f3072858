package dev.secretrotator.provider;

/**
 * What a retirement sweep did with a secret's previous credential.
 *
 * @param action what happened
 * @param credentialId the credential's non-secret id (key id, user id), or empty
 * @param detail a human-readable explanation (never a value)
 */
public record RetirementResult(Action action, String credentialId, String detail) {

    /** The retirement lifecycle's moves, and the reasons to make none. */
    public enum Action {
        /** Nothing to retire (no previous credential, or already gone). */
        NOTHING,
        /** Still in its grace period, or its deletion hold. */
        WAITING,
        /** Used within the quiet period: kept, metric raised. */
        STILL_IN_USE,
        /** Deactivated (or revoked where the target cannot deactivate). */
        DEACTIVATED,
        /** Deleted after its hold. */
        DELETED,
        /** Revoked at once (emergency). */
        REVOKED
    }

    public static RetirementResult nothing(String detail) {
        return new RetirementResult(Action.NOTHING, "", detail);
    }

    public static RetirementResult of(Action action, String credentialId, String detail) {
        return new RetirementResult(action, credentialId, detail);
    }

    /** Whether the sweep changed a credential. */
    public boolean changed() {
        return action == Action.DEACTIVATED || action == Action.DELETED || action == Action.REVOKED;
    }
}
