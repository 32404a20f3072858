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
import java.util.Map;
import java.util.Optional;

/**
 * Puts {@code AWSCURRENT} back on the {@code AWSPREVIOUS} version, when its credential can still
 * be restored: the provider restores it (e.g. reactivates a deactivated key) and proves it works
 * before anything moves. Otherwise refuses with the reason and changes nothing. Refuses, before
 * any change, a secret outside the allow-list, and a credential an emergency rotation revoked
 * (it leaked) unless forced.
 */
public final class Rollback {
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
            return rollback(secretId, window, force);
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", rollback");
        }
    }

    private String rollback(String secretId, Optional<Duration> window, boolean force) {
        SecretMetadata meta = access.store.describe(secretId);
        AllowList.require(access.services.config(), meta, "roll back");
        window.ifPresent(w -> requireWithin(secretId, w));
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
        access.store.tag(secretId, StoredHistory.CUTOVER_TAG, StoredHistory.cutoverTag(previous, access.services.clock().instant()));
        access.store.moveStage(secretId, CURRENT, previous, current);
        access.services.telemetry().warn("rolled back: AWSCURRENT is the previous version again", Map.of(
                "secretId", secretId, "versionId", previous, "credentialId", provider.credentialId(previousValue)));
        access.services.telemetry().metric("RollbackCompleted", 1, "Count", Map.of("Provider", provider.name()));
        access.publish(RotationEvents.ROLLED_BACK, meta.arn(), previous, provider, previousValue);
        return previous;
    }

    private void requireWithin(String secretId, Duration window) {
        StoredHistory history = StoredHistory.readOnly(access.store, secretId, v -> {}, access.services.clock());
        Instant since = history.recordedCutover().orElseThrow(() -> new RotationStateException("this function did not"
                + " record when the current version took over (it was put by hand or by another tool); not rolling back"
                + " automatically (run rollback by hand if it is needed)"));
        if (since.isBefore(access.services.clock().instant().minus(window))) {
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
