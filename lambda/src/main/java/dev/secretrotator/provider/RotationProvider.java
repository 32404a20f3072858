package dev.secretrotator.provider;

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
     * Checks the current value has what this provider needs, before anything is changed.
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

    /** setSecret: applies the pending credential where the target needs it. Default: nothing. */
    default void applyCredential(StepContext context) {}

    /**
     * testSecret: proves the pending credential works against the real target, polling within a
     * bounded time for propagation.
     *
     * @throws dev.secretrotator.VerificationException if it does not work in time
     */
    void verifyCredential(StepContext context);

    /**
     * finishSecret, after the cutover: records what must be retired later. Revokes nothing,
     * except in an emergency rotation. Default: nothing.
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
}
