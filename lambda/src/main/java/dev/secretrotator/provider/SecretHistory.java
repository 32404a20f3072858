package dev.secretrotator.provider;

import java.time.Instant;
import java.util.Optional;

/**
 * What a provider may know about a secret beyond its current and pending values: when the
 * current version took over, the previous value, and the retirement ledger (when a previous
 * credential was deactivated; kept as tags on the secret, since IAM and most targets do not
 * record it). Backed by Secrets Manager; reads are made on first use.
 */
public interface SecretHistory {

    /** When the {@code AWSCURRENT} version was created: the start of its predecessor's grace period. */
    Instant currentSince();

    /** The value staged {@code AWSPREVIOUS}, if any. */
    Optional<SecretValue> previous();

    /** When the credential with this non-secret id was deactivated by a sweep, if recorded. */
    Optional<Instant> deactivatedAt(String credentialId);

    /** Records that the credential was deactivated at {@code at}. Idempotent. */
    void recordDeactivation(String credentialId, Instant at);

    /** Forgets a credential's deactivation (it was deleted or reactivated). Idempotent. */
    void clearDeactivation(String credentialId);
}
