package dev.secretrotator.provider;

import dev.secretrotator.config.RotatorConfig;

/**
 * The provider SPI: one implementation per kind of credential, found with
 * {@link java.util.ServiceLoader} (list it in {@code META-INF/services}).
 *
 * <p>Each method mirrors a rotation step. The engine handles staging labels and idempotency at
 * the level of secret versions; a provider must still make its own side effects safe to repeat,
 * because Secrets Manager re-runs a failed rotation from the start. Implementations must be
 * stateless and thread-safe, with a public no-argument constructor; clients come from
 * {@link StepContext#services()}.
 */
public interface RotationProvider {

    /** The value of the secret's {@code "provider"} field this implementation serves. */
    String name();

    /**
     * Checks the current value has what this provider needs, before anything is changed. The
     * engine calls this form; by default it delegates to {@link #validate(SecretValue)}, so only a
     * provider whose checks depend on the configuration (e.g. where profile files live) overrides it.
     *
     * @throws dev.secretrotator.InvalidInputException naming the bad field
     */
    default void validate(SecretValue current, RotatorConfig config) {
        validate(current);
    }

    /**
     * The checks of {@link #validate(SecretValue, RotatorConfig)} that need no configuration.
     * Default: none.
     *
     * @throws dev.secretrotator.InvalidInputException naming the bad field
     */
    default void validate(SecretValue current) {}

    /**
     * createSecret: makes the new credential and returns the whole new secret value (unknown
     * fields of {@code context.current()} kept). Called only when no pending value is stored
     * yet; a credential left by an earlier, failed attempt of the same rotation must be
     * recognised and must not pile up.
     */
    SecretValue createCredential(StepContext context);

    /**
     * Whether createSecret must run alone: true where two overlapping invocations of it (Lambda
     * retries can overlap) would each replace the one credential an identity holds, so that the
     * value stored first holds a dead key (Weaviate: one key per user). The engine then claims
     * the rotation's createSecret before {@link #createCredential} and releases the claim once
     * the value is stored; an invocation that finds the claim held waits for that value instead.
     * Default: false (providers that can hold two credentials discard the loser's instead).
     */
    default boolean exclusiveCreate() {
        return false;
    }

    /**
     * The read-only checks of {@link #createCredential} (bindings, admin credentials, room for a
     * new credential), run before createSecret writes anything (its attempt tag, an
     * {@link #exclusiveCreate} claim), so that a refused createSecret leaves no trace, and by the
     * configuration test ({@link #checkConfiguration}). {@code createCredential} must still check
     * on its own; what both read of owner-set data (a binding) can be shared through
     * {@link StepContext#memo()}, which the engine gives both for one createSecret. Default: nothing.
     *
     * @throws dev.secretrotator.RotationException the refusal, with nothing changed
     */
    default void checkCreate(StepContext context) {}

    /** setSecret: applies the pending credential where the target needs it. Default: nothing. */
    default void applyCredential(StepContext context) {}

    /**
     * Whether setSecret may have something to apply. False lets the engine's setSecret end after
     * its protocol checks, without reading the pending value or calling {@link #applyCredential}
     * (one {@code GetSecretValue} fewer per rotation), so only a provider whose
     * {@code applyCredential} does nothing for every secret returns false. Default: true.
     */
    default boolean appliesCredential() {
        return true;
    }

    /**
     * testSecret: proves the pending credential works against the real target, polling within a
     * bounded time for propagation.
     *
     * @throws dev.secretrotator.VerificationException if it does not work in time
     */
    void verifyCredential(StepContext context);

    /**
     * testSecret of Secrets Manager's configuration test ({@code RotateImmediately=false}: no
     * createSecret ran, the pending version holds no value of ours). Proves the setup, read-only:
     * the secret's bindings hold and its target answers to the current credential. Must write
     * nothing, neither to the target nor to a secret. {@code context.pending()} holds the
     * current value, so {@link #verifyCredential} checks the current credential. The engine has
     * already run {@link #validate}. Default: {@link #checkCreate} (the read-only checks of
     * createSecret), then {@link #verifyCredential}.
     *
     * @throws dev.secretrotator.RotationException naming what does not hold
     */
    default void checkConfiguration(StepContext context) {
        checkCreate(context);
        verifyCredential(context);
    }

    /**
     * finishSecret, after the cutover: records what must be retired later. Revokes nothing (an
     * emergency rotation revokes through {@link #retire}). Runs at least once: again when
     * finishSecret is retried after {@code AWSCURRENT} moved, with the same context (pending: the
     * new, now current value; current: the value now {@code AWSPREVIOUS}), so it must be
     * idempotent. Default: nothing.
     */
    default void afterCutover(StepContext context) {}

    /**
     * The retirement sweep: advances the previous credential one stage of its lifecycle (grace
     * period → checked for use within the quiet period → deactivated → deleted after the hold)
     * using {@link StepContext#history()}. A credential used within the quiet period is never
     * deactivated: return {@link RetirementResult.Action#STILL_IN_USE}. With
     * {@link StepContext#emergency()}, revoke at once. Must be idempotent. Default: nothing to
     * retire (targets that keep no old credential).
     */
    default RetirementResult retire(StepContext context) {
        return RetirementResult.nothing(name() + " keeps no previous credential");
    }

    /**
     * Whether a previous credential stays valid after the cutover, for {@link #retire} to retire
     * later (status then shows its grace period). A provider that implements {@code retire}
     * returns true. Default: false (targets that keep no previous credential).
     */
    default boolean keepsPreviousCredential() {
        return false;
    }

    /**
     * A non-secret identifier of the credential in {@code value}, for logs and events (a key id,
     * a user id). Default: a short SHA-256 fingerprint of its credential fields.
     */
    default String credentialId(SecretValue value) {
        return Fingerprint.of(value);
    }

    /**
     * Rollback: makes the credential of {@code context.requirePending()} (the {@code AWSPREVIOUS}
     * value being restored) usable again if it can be, e.g. reactivates a deactivated key. The
     * engine then verifies it with {@link #verifyCredential}. Default: nothing to restore.
     *
     * @throws dev.secretrotator.RotationStateException if it can no longer be restored (deleted,
     *     revoked, rotated away); nothing must have changed then
     */
    default void restoreCredential(StepContext context) {}

    /**
     * Repair of an abandoned rotation: removes the credential that only the abandoned pending
     * value ({@code context.requirePending()}) holds, if it differs from the current and previous
     * ones. Default: nothing to remove.
     */
    default void discardCredential(StepContext context) {}

    /**
     * For status: the state of the credential in {@code value} at its target (e.g.
     * {@code status=Active, lastUsed=...}), without secrets. Default: nothing known.
     */
    default java.util.Map<String, String> credentialState(StepContext context, SecretValue value) {
        return java.util.Map.of();
    }
}
