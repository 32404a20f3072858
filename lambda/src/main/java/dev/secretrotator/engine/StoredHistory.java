package dev.secretrotator.engine;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.provider.SecretHistory;
import dev.secretrotator.provider.SecretValue;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link SecretHistory} backed by Secrets Manager: version creation dates, the
 * {@code AWSPREVIOUS} value, and the retirement ledger as tags
 * {@code secret-rotator:deactivated:<credential id>} = ISO-8601 instant. Each read is made on
 * first use only. Not thread-safe: one instance per step.
 */
public final class StoredHistory implements SecretHistory {
    static final String LEDGER_PREFIX = "secret-rotator:deactivated:";

    private final SecretStore store;
    private final String secretId;
    private final Consumer<SecretValue> onRead;
    private Instant currentSince;
    private Optional<SecretValue> previous;

    /**
     * @param onRead told about every value read (the engine registers its credentials with the redactor)
     */
    public StoredHistory(SecretStore store, String secretId, Consumer<SecretValue> onRead) {
        this.store = store;
        this.secretId = secretId;
        this.onRead = onRead;
    }

    @Override
    public Instant currentSince() {
        if (currentSince == null) {
            currentSince = store.createdAt(secretId, SecretMetadata.CURRENT).orElseThrow(() ->
                    new RotationStateException("the secret has no AWSCURRENT version"));
        }
        return currentSince;
    }

    @Override
    public Optional<SecretValue> previous() {
        if (previous == null) {
            previous = store.findStage(secretId, SecretMetadata.PREVIOUS).map(SecretValue::parse);
            previous.ifPresent(onRead);
        }
        return previous;
    }

    @Override
    public Optional<Instant> deactivatedAt(String credentialId) {
        return Optional.ofNullable(store.tags(secretId).get(LEDGER_PREFIX + credentialId)).map(Instant::parse);
    }

    @Override
    public void recordDeactivation(String credentialId, Instant at) {
        store.tag(secretId, LEDGER_PREFIX + credentialId, at.toString());
    }

    @Override
    public void clearDeactivation(String credentialId) {
        if (deactivatedAt(credentialId).isPresent()) {
            store.untag(secretId, LEDGER_PREFIX + credentialId);
        }
    }
}
