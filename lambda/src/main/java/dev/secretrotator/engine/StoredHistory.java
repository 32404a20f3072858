package dev.secretrotator.engine;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.provider.SecretHistory;
import dev.secretrotator.provider.SecretValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link SecretHistory} backed by Secrets Manager. The cutover time and the retirement ledger
 * live in the secret's tags, written by this function:
 * {@value #CUTOVER_TAG} = {@code <version id> <ISO instant>} (set by finishSecret just before
 * the cutover) and {@value #LEDGER_PREFIX}{@code <credential id>} = ISO instant. Without a
 * cutover tag for the current version (a secret rotated by something else), the service's
 * last rotation date stands in, then the version's creation date. Reads are made on first use.
 * Not thread-safe: one instance per step.
 */
public final class StoredHistory implements SecretHistory {
    public static final String CUTOVER_TAG = "secret-rotator:cutover";
    public static final String LEDGER_PREFIX = "secret-rotator:deactivated:";

    private final SecretStore store;
    private final String secretId;
    private final Consumer<SecretValue> onRead;
    private SecretMetadata meta;
    private Optional<SecretValue> previous;

    /**
     * @param onRead told about every value read (the engine registers its credentials with the redactor)
     */
    public StoredHistory(SecretStore store, String secretId, Consumer<SecretValue> onRead) {
        this.store = store;
        this.secretId = secretId;
        this.onRead = onRead;
    }

    /** The tag value that records {@code versionId} becoming current at {@code at}. */
    public static String cutoverTag(String versionId, Instant at) {
        return versionId + " " + at;
    }

    @Override
    public Instant currentSince() {
        SecretMetadata m = meta();
        String current = m.versionWith(SecretMetadata.CURRENT).orElseThrow(() ->
                new RotationStateException("the secret has no AWSCURRENT version"));
        return fromTag(m.tags().get(CUTOVER_TAG), current)
                .or(m::lastRotated)
                .or(() -> store.createdAt(secretId, SecretMetadata.CURRENT))
                .orElseThrow(() -> new RotationStateException("cannot tell when the AWSCURRENT version took over"));
    }

    private static Optional<Instant> fromTag(String tag, String currentVersion) {
        if (tag == null || !tag.startsWith(currentVersion + " ")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(tag.substring(currentVersion.length() + 1)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
        return Optional.ofNullable(meta().tags().get(LEDGER_PREFIX + credentialId)).map(Instant::parse);
    }

    @Override
    public void recordDeactivation(String credentialId, Instant at) {
        store.tag(secretId, LEDGER_PREFIX + credentialId, at.toString());
        meta = null;
    }

    @Override
    public void clearDeactivation(String credentialId) {
        if (deactivatedAt(credentialId).isPresent()) {
            store.untag(secretId, LEDGER_PREFIX + credentialId);
            meta = null;
        }
    }

    private SecretMetadata meta() {
        if (meta == null) {
            meta = store.describe(secretId);
        }
        return meta;
    }
}
