package dev.secretrotator.engine;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.provider.SecretHistory;
import dev.secretrotator.provider.SecretValue;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link SecretHistory} backed by Secrets Manager. The cutover time and the retirement ledger
 * live in the secret's tags, written by this function:
 * {@value #CUTOVER_TAG} = {@code <version id> <ISO instant>} (set by finishSecret just before
 * the cutover), {@value #LEDGER_PREFIX}{@code <credential id>} = ISO instant, and the minting
 * ledger {@value #MINTED_PREFIX}{@code <credential id>} = version id. When the
 * cutover tag does not name the current version (a manual {@code PutSecretValue}, a rotation by
 * another tool), the version is counted as current from the moment this function first sees
 * it: a {@linkplain #recording recording} history (the sweep, the rotation steps) writes
 * {@value #FIRST_SEEN_TAG} = {@code <version id> <ISO instant>} then ({@code TagResource}); a
 * {@linkplain #readOnly read-only} one (status, rollback) answers "now" without writing. The two
 * tags are kept apart because only a cutover this function made may be undone automatically
 * ({@link #recordedCutover}): a version an operator put by hand, say to replace a leaked key, is
 * never rolled back by an alarm. Never from the service's last rotation date or the version's creation
 * date: a version put by hand long after it was created would otherwise lose its grace period.
 * Reads are made on first use, or start from the metadata the caller has just read ({@link #startingFrom});
 * the tags this instance writes are applied to what it read rather than read again (the writes
 * are this function's own; the protocol's guards read afresh elsewhere). Not thread-safe: one
 * instance per step.
 */
public final class StoredHistory implements SecretHistory {
    public static final String CUTOVER_TAG = "secret-rotator:cutover";
    /** When this function first saw a current version it did not cut over itself. */
    public static final String FIRST_SEEN_TAG = "secret-rotator:first-seen";
    public static final String LEDGER_PREFIX = "secret-rotator:deactivated:";
    public static final String MINTED_PREFIX = "secret-rotator:minted:";

    private final SecretStore store;
    private final String secretId;
    private final Consumer<SecretValue> onRead;
    private final Clock clock;
    private final boolean records;
    private SecretMetadata meta;
    private Optional<SecretValue> previous;

    private StoredHistory(SecretStore store, String secretId, Consumer<SecretValue> onRead, Clock clock, boolean records) {
        this.store = store;
        this.secretId = secretId;
        this.onRead = onRead;
        this.clock = clock;
        this.records = records;
    }

    /**
     * The history the rotation steps and the sweep use: records the cutover of a current version
     * it sees for the first time, and the retirement ledger.
     *
     * @param onRead told about every value read (the engine registers its credentials with the redactor)
     */
    public static StoredHistory recording(SecretStore store, String secretId, Consumer<SecretValue> onRead, Clock clock) {
        return new StoredHistory(store, secretId, onRead, clock, true);
    }

    /** A history that never writes the cutover tag (status, rollback); the ledger methods still write. */
    public static StoredHistory readOnly(SecretStore store, String secretId, Consumer<SecretValue> onRead, Clock clock) {
        return new StoredHistory(store, secretId, onRead, clock, false);
    }

    /** Whether a cutover tag value names {@code versionId}. */
    public static boolean names(String tag, String versionId) {
        return fromTag(tag, versionId).isPresent();
    }

    /**
     * The instant a tag value of the form {@code <version id> <ISO instant>} (the cutover tag, and
     * the rollback tags of the ops package) records for {@code versionId}; empty when the tag is
     * absent, names another version or does not parse.
     */
    public static Optional<Instant> recordedAt(String tag, String versionId) {
        return fromTag(tag, versionId);
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
        Optional<Instant> recorded = fromTag(m.tags().get(CUTOVER_TAG), current)
                .or(() -> fromTag(m.tags().get(FIRST_SEEN_TAG), current));
        if (recorded.isPresent()) {
            return recorded.get();
        }
        Instant now = clock.instant();
        if (records) {
            store.tag(secretId, FIRST_SEEN_TAG, cutoverTag(current, now));
            meta = m.withTag(FIRST_SEEN_TAG, cutoverTag(current, now));
        }
        return now;
    }

    /**
     * When this function itself made the current version current (finishSecret, rollback), if it
     * did; a first sighting of a version put by someone else does not count. Never writes.
     */
    public Optional<Instant> recordedCutover() {
        SecretMetadata m = meta();
        return m.versionWith(SecretMetadata.CURRENT).flatMap(current -> fromTag(m.tags().get(CUTOVER_TAG), current));
    }

    /** When this function recorded the cutover of {@code m}'s current version, if it did. */
    static Optional<Instant> recordedCutover(SecretMetadata m) {
        return m.versionWith(SecretMetadata.CURRENT).flatMap(current -> fromTag(m.tags().get(CUTOVER_TAG), current));
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
        wrote(m -> m.withTag(LEDGER_PREFIX + credentialId, at.toString()));
    }

    @Override
    public void clearDeactivation(String credentialId) {
        if (deactivatedAt(credentialId).isPresent()) {
            store.untag(secretId, LEDGER_PREFIX + credentialId);
            wrote(m -> m.withoutTag(LEDGER_PREFIX + credentialId));
        }
    }

    @Override
    public Map<String, String> minted() {
        Map<String, String> minted = new TreeMap<>();
        meta().tags().forEach((key, value) -> {
            if (key.startsWith(MINTED_PREFIX)) {
                minted.put(key.substring(MINTED_PREFIX.length()), value);
            }
        });
        return minted;
    }

    @Override
    public void recordMinted(String credentialId, String versionId) {
        store.tag(secretId, MINTED_PREFIX + credentialId, versionId);
        wrote(m -> m.withTag(MINTED_PREFIX + credentialId, versionId));
    }

    @Override
    public void clearMinted(String credentialId) {
        if (meta().tags().containsKey(MINTED_PREFIX + credentialId)) {
            store.untag(secretId, MINTED_PREFIX + credentialId);
            wrote(m -> m.withoutTag(MINTED_PREFIX + credentialId));
        }
    }

    /**
     * Starts from {@code known}, the secret's metadata the caller read just before, with no write
     * since (the sweep, which has just described the secret): saves describing it again.
     *
     * @return this history
     */
    public StoredHistory startingFrom(SecretMetadata known) {
        this.meta = known;
        return this;
    }

    // a write of ours: applied to what was read (if anything was), so the next use need not read again
    private void wrote(java.util.function.UnaryOperator<SecretMetadata> change) {
        if (meta != null) {
            meta = change.apply(meta);
        }
    }

    private SecretMetadata meta() {
        if (meta == null) {
            meta = store.describe(secretId);
        }
        return meta;
    }
}
