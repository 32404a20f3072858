package dev.secretrotator.provider;

import java.util.Optional;

/**
 * Everything a provider sees during one rotation step.
 *
 * @param secretId the secret as given in the event (name or ARN), for messages
 * @param secretArn the secret's full ARN
 * @param versionId the version token of the rotation (the pending version)
 * @param current the value in {@code AWSCURRENT}
 * @param pending the value in {@code AWSPENDING}; empty during createSecret
 * @param rotationToken the sensitive token Secrets Manager passes for cross-account rotation,
 *     if any; never log it
 * @param emergency whether to revoke the previous credential at once: true only in
 *     {@link RotationProvider#retire} called by an emergency rotation ({@code ops.Emergency}); the
 *     rotation steps always see false (Secrets Manager's events carry no such flag)
 * @param history when the current version took over, the previous value, the retirement ledger
 * @param services configuration, clock, telemetry and clients
 * @param memo reads of owner-set data made earlier in the same step, for reuse ({@link StepMemo})
 */
public record StepContext(
        String secretId,
        String secretArn,
        String versionId,
        SecretValue current,
        Optional<SecretValue> pending,
        Optional<String> rotationToken,
        boolean emergency,
        SecretHistory history,
        ProviderServices services,
        StepMemo memo) {

    /** A context with a memo of its own (nothing read yet). */
    public StepContext(String secretId, String secretArn, String versionId, SecretValue current,
            Optional<SecretValue> pending, Optional<String> rotationToken, boolean emergency, SecretHistory history,
            ProviderServices services) {
        this(secretId, secretArn, versionId, current, pending, rotationToken, emergency, history, services, new StepMemo());
    }

    /** This context of the same step with {@code value} as its pending value (history and memo shared). */
    public StepContext withPending(SecretValue value) {
        return new StepContext(secretId, secretArn, versionId, current, Optional.of(value), rotationToken, emergency, history,
                services, memo);
    }

    /** The pending value, which every step after createSecret has. */
    public SecretValue requirePending() {
        return pending.orElseThrow(() -> new IllegalStateException("no pending value before createSecret finished"));
    }

    @Override
    public String toString() {
        return "StepContext[secretId=" + secretId + ", versionId=" + versionId + ", emergency=" + emergency + "]";
    }
}
