package dev.secretrotator.provider;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider may know about a secret beyond its current and pending values: when the
 * current version took over, the previous value, and the retirement ledger (when a previous
 * credential was deactivated; kept as tags on the secret, since IAM and most targets do not
 * record it) and the minting ledger (which credentials this function created, for which rotation,
 * recorded before they are stored). Backed by Secrets Manager; reads are made on first use.
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

    /**
     * The minting ledger: credential id → version id of the rotation that created it, for the
     * credentials this function created and recorded before returning them from createSecret,
     * whose entry was not cleared yet (deleted, or its version became current or previous).
     */
    Map<String, String> minted();

    /** Records that the rotation {@code versionId} created the credential. Idempotent. */
    void recordMinted(String credentialId, String versionId);

    /** Forgets a credential's minting entry (deleted, or held by the current or previous version). Idempotent. */
    void clearMinted(String credentialId);
}
