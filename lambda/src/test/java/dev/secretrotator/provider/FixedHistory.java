package dev.secretrotator.provider;

import java.time.Instant;
import java.util.Optional;

/**
 * A {@link SecretHistory} for unit tests: a fixed cutover time and previous value, an empty
 * retirement ledger that ignores writes.
 */
public record FixedHistory(Instant currentSince, Optional<SecretValue> previous) implements SecretHistory {
    @Override
    public Optional<Instant> deactivatedAt(String credentialId) {
        return Optional.empty();
    }

    @Override
    public void recordDeactivation(String credentialId, Instant at) {}

    @Override
    public void clearDeactivation(String credentialId) {}
}
