package dev.secretrotator.ops;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;
import static dev.secretrotator.engine.SecretMetadata.PREVIOUS;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.engine.AllowList;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.telemetry.RotationEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Puts {@code AWSCURRENT} back on the {@code AWSPREVIOUS} version, when its credential can still
 * be restored: the provider restores it (e.g. reactivates a deactivated key) and proves it works
 * before anything moves. Otherwise refuses with the reason and changes nothing. Refuses, before
 * any change, a secret outside the allow-list, and a credential an emergency rotation revoked
 * (it leaked) unless forced. Every rollback is recorded in the secret's tags ({@value #RESTORED_TAG}),
 * so that an automatic rollback ({@link AutomaticRollback}) can tell a rotation from a rollback.
 */
public final class Rollback {
    /**
     * {@code <version id> <ISO instant>}: the version a rollback (by hand or automatic) made
     * {@code AWSCURRENT}, and when. While it names the current version, that version is there
     * because of a rollback, not a rotation, and an automatic rollback refuses.
     */
    public static final String RESTORED_TAG = "secret-rotator:restored";

    private final SecretAccess access;

    Rollback(SecretAccess access) {
        this.access = access;
    }

    /** @return the version now {@code AWSCURRENT} */
    public String run(String secretId) {
        return run(secretId, Optional.empty());
    }

    /** @see #run(String, Optional, boolean) */
    public String run(String secretId, Optional<Duration> window) {
        return run(secretId, window, false);
    }

    /**
     * @param window when given (automatic rollback from an alarm), roll back only if this function
     *     recorded the current version's cutover within this window; an alarm long after a rotation
     *     is not its fault
     * @param force roll back even to a credential an emergency rotation revoked: that restores a
     *     credential that leaked, and is logged as such
     * @return the version now {@code AWSCURRENT}
     */
    public String run(String secretId, Optional<Duration> window, boolean force) {
        try {
            SecretMetadata meta = access.store.describe(secretId);
            return rollback(secretId, meta, force, false,
                    m -> window.ifPresent(w -> requireWithin(m, w, access.services.clock().instant())));
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", rollback");
        }
    }

    /**
     * Rolls back after the allow-list and {@code precondition} passed. Records, in one TagResource
     * call before the stage moves, the cutover of the restored version ({@value StoredHistory#CUTOVER_TAG},
     * for the retirement of the version rolled away from), that a rollback restored it
     * ({@value #RESTORED_TAG}) and, when {@code automatic}, which rotation was rolled back
     * ({@value AutomaticRollback#TAG}).
     *
     * @throws RotationStateException when the rollback is refused; nothing was changed
     */
    String rollback(String secretId, SecretMetadata meta, boolean force, boolean automatic, Consumer<SecretMetadata> precondition) {
        AllowList.require(access.services.config(), meta, "roll back");
        precondition.accept(meta);
        String current = meta.versionWith(CURRENT).orElseThrow(() -> new RotationStateException("the secret has no AWSCURRENT version"));
        Optional<String> pending = meta.versionWith(PENDING).filter(v -> !v.equals(current));
        if (pending.isPresent()) {
            throw new RotationStateException("a rotation is in progress or was abandoned (version " + pending.get()
                    + " holds AWSPENDING); let it finish, or run repair, before rolling back");
        }
        String previous = meta.versionWith(PREVIOUS).orElseThrow(() -> new RotationStateException(
                "there is no AWSPREVIOUS version to roll back to"));
        SecretValue currentValue = access.current(secretId);
        SecretValue previousValue = access.version(secretId, previous, PREVIOUS).orElseThrow(() ->
                new RotationStateException("the AWSPREVIOUS version has no value"));
        RotationProvider provider = access.providers.forSecret(previousValue);
        checkNotRevoked(secretId, meta, previous, provider.credentialId(previousValue), force);
        StepContext context = access.context(secretId, meta, previous, currentValue, Optional.of(previousValue), false);
        provider.restoreCredential(context);
        provider.verifyCredential(context);
        access.store.tag(secretId, tags(current, previous, automatic));
        access.store.moveStage(secretId, CURRENT, previous, current);
        access.services.telemetry().warn(automatic ? "rolled back automatically: AWSCURRENT is the previous version again"
                : "rolled back: AWSCURRENT is the previous version again", Map.of(
                "secretId", secretId, "versionId", previous, "rolledBackVersion", current,
                "credentialId", provider.credentialId(previousValue)));
        access.services.telemetry().metric("RollbackCompleted", 1, "Count", Map.of("Provider", provider.name()));
        access.publish(RotationEvents.ROLLED_BACK, meta.arn(), previous, provider, previousValue,
                Map.of("rolledBackVersion", current, "automatic", automatic));
        return previous;
    }

    private Map<String, String> tags(String current, String previous, boolean automatic) {
        Instant now = access.services.clock().instant();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(StoredHistory.CUTOVER_TAG, StoredHistory.cutoverTag(previous, now));
        tags.put(RESTORED_TAG, StoredHistory.cutoverTag(previous, now));
        if (automatic) {
            tags.put(AutomaticRollback.TAG, StoredHistory.cutoverTag(current, now));
        }
        return tags;
    }

    /**
     * The current version's cutover, as this function recorded it, lies within {@code window}
     * before {@code now}. A rollback records a cutover too, so callers that must not count a
     * rollback as the start of a window check {@value #RESTORED_TAG} first.
     */
    static void requireWithin(SecretMetadata meta, Duration window, Instant now) {
        String current = meta.versionWith(CURRENT).orElseThrow(() -> new RotationStateException("the secret has no AWSCURRENT version"));
        Instant since = StoredHistory.recordedAt(meta.tags().get(StoredHistory.CUTOVER_TAG), current).orElseThrow(() ->
                new RotationStateException("this function did not record when the current version took over (it was put"
                        + " by hand or by another tool); not rolling back automatically (run rollback by hand if it is needed)"));
        if (since.isBefore(now.minus(window))) {
            throw new RotationStateException("the current version took over at " + since + ", outside the automatic"
                    + " rollback window of " + window + "; not rolling back (run rollback by hand if it is needed)");
        }
    }

    /** A credential an emergency rotation revoked leaked: restoring it needs {@code force}. */
    private void checkNotRevoked(String secretId, SecretMetadata meta, String previous, String credentialId, boolean force) {
        Optional<String> revoked = Optional.ofNullable(meta.tags().get(Emergency.REVOKED_PREFIX + credentialId))
                .filter(tag -> StoredHistory.names(tag, previous));
        if (revoked.isEmpty()) {
            return;
        }
        String when = revoked.get().substring(previous.length() + 1);
        if (!force) {
            throw new RotationStateException("credential " + credentialId + " of the AWSPREVIOUS version " + previous
                    + " was revoked by an emergency rotation at " + when + " because it leaked; rolling back would restore"
                    + " a leaked credential. Refused, nothing was changed. Rotate again instead, or if you must, roll back"
                    + " with force (CLI --force, event \"force\": true)");
        }
        access.services.telemetry().warn("FORCED rollback restores a credential an emergency rotation revoked: it leaked",
                Map.of("secretId", secretId, "versionId", previous, "credentialId", credentialId, "revokedAt", when));
    }
}
