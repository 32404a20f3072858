package dev.secretrotator.provider;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SecretHistory} for unit tests: a fixed cutover time and previous value, an empty
 * retirement ledger that ignores writes, and a minting ledger kept in memory.
 */
public record FixedHistory(Instant currentSince, Optional<SecretValue> previous, Map<String, String> minted)
        implements SecretHistory {
    public FixedHistory(Instant currentSince, Optional<SecretValue> previous) {
        this(currentSince, previous, new HashMap<>());
    }

    @Override
    public Optional<Instant> deactivatedAt(String credentialId) {
        return Optional.empty();
    }

    @Override
    public void recordDeactivation(String credentialId, Instant at) {}

    @Override
    public void clearDeactivation(String credentialId) {}

    @Override
    public void recordMinted(String credentialId, String versionId) {
        minted.put(credentialId, versionId);
    }

    @Override
    public void clearMinted(String credentialId) {
        minted.remove(credentialId);
    }
}
