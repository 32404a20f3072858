package dev.secretrotator.ops;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;
import static dev.secretrotator.engine.SecretMetadata.PREVIOUS;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
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
 * before anything moves. Otherwise refuses with the reason and changes nothing.
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

    /**
     * @param window when given (automatic rollback from an alarm), roll back only if the current
     *     version took over within this window; an alarm long after a rotation is not its fault
     * @return the version now {@code AWSCURRENT}
     */
    public String run(String secretId, Optional<Duration> window) {
        try {
            return rollback(secretId, window);
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", rollback");
        }
    }

    private String rollback(String secretId, Optional<Duration> window) {
        SecretMetadata meta = access.store.describe(secretId);
        if (window.isPresent()) {
            Instant since = new StoredHistory(access.store, secretId, v -> {}).currentSince();
            if (since.isBefore(access.services.clock().instant().minus(window.get()))) {
                throw new RotationStateException("the current version took over at " + since + ", outside the automatic"
                        + " rollback window of " + window.get() + "; not rolling back (run rollback by hand if it is needed)");
            }
        }
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
}
