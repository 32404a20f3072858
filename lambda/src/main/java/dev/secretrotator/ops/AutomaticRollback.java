package dev.secretrotator.ops;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PREVIOUS;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.telemetry.RotationEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rollback an AutoRollback alarm asks for ({@code {"action":"rollback","secretId":...,"window":...}}):
 * at most one per rotation, and only of a rotation. It rolls back when the current version was put
 * there by a rotation whose cutover this function recorded within {@code window}, and no automatic
 * rollback of that rotation happened before. Otherwise it refuses and changes nothing: a second
 * alarm for the same rotation, an alarm after a rollback (which would flip {@code AWSCURRENT} back
 * to the version that broke the consumers), or one outside the window. A rollback never restarts
 * the window: the version it restores is marked {@value Rollback#RESTORED_TAG}.
 *
 * <p>Every outcome is published for the on-call topic: the "Secret Rolled Back" event with
 * {@code "automatic": true}, or an {@value RotationEvents#ROLLBACK_REFUSED} event with the reason;
 * a refusal is logged as a warning and counted ({@code AutomaticRollbackRefused}) and returned, not
 * thrown, so the asynchronous invocation is not retried into more refusals. Failures (AWS errors,
 * a restored credential that does not verify) are thrown: the invocation's failure destination
 * catches them.
 */
final class AutomaticRollback {
    /** {@code <version id> <ISO instant>}: the rotation (its version) that was rolled back automatically, and when. */
    static final String TAG = "secret-rotator:auto-rollback";

    private final SecretAccess access;
    private final Rollback rollback;

    AutomaticRollback(SecretAccess access, Rollback rollback) {
        this.access = access;
        this.rollback = rollback;
    }

    /**
     * @return {@code secretId} and either {@code currentVersion} (rolled back) or {@code refused}
     *     (the reason) with {@code currentVersion} unchanged
     */
    Map<String, Object> run(String secretId, Duration window, boolean force) {
        SecretMetadata meta;
        try {
            meta = access.store.describe(secretId);
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", automatic rollback");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("secretId", secretId);
        try {
            result.put("currentVersion", rollback.rollback(secretId, meta, force, true,
                    m -> requireRotationWithin(m, window, access.services.clock().instant())));
        } catch (RotationStateException e) {
            String current = meta.versionWith(CURRENT).orElse("");
            refused(secretId, meta.arn(), current, e.reason());
            result.put("currentVersion", current);
            result.put("refused", e.reason());
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", automatic rollback");
        }
        return result;
    }

    /** The current version came from a rotation this function recorded within the window, not yet rolled back. */
    static void requireRotationWithin(SecretMetadata meta, Duration window, Instant now) {
        String current = meta.versionWith(CURRENT).orElseThrow(() -> new RotationStateException("the secret has no AWSCURRENT version"));
        Optional<Instant> rolledBack = StoredHistory.recordedAt(meta.tags().get(TAG), current);
        if (rolledBack.isPresent()) {
            boolean incomplete = meta.versionWith(PREVIOUS).flatMap(p -> StoredHistory.recordedAt(meta.tags().get(Rollback.RESTORED_TAG), p))
                    .filter(rolledBack.get()::equals).isPresent();
            throw new RotationStateException("the rotation to version " + current + " was already rolled back automatically at "
                    + rolledBack.get() + (incomplete ? ", but AWSCURRENT did not move (that rollback failed half-way)"
                    : " and has been made current again since") + "; at most one automatic rollback per rotation."
                    + " Refused, nothing was changed: check the consumers, then roll back by hand if it is needed");
        }
        Optional<Instant> restored = StoredHistory.recordedAt(meta.tags().get(Rollback.RESTORED_TAG), current);
        if (restored.isPresent()) {
            throw new RotationStateException("AWSCURRENT (version " + current + ") was put back by a rollback at "
                    + restored.get() + ", not by a rotation: an automatic rollback would flip it back to the version that"
                    + " was rolled away from. Refused, nothing was changed: check the consumers, then roll back by hand if it is needed");
        }
        Rollback.requireWithin(meta, window, now);
    }

    private void refused(String secretId, String arn, String current, String reason) {
        access.services.telemetry().warn("automatic rollback refused: a person must look at this secret's consumers",
                Map.of("secretId", secretId, "versionId", current, "reason", reason));
        access.services.telemetry().metric("AutomaticRollbackRefused", 1, "Count", Map.of());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("secretArn", arn);
        detail.put("versionId", current);
        detail.put("automatic", true);
        detail.put("reason", reason);
        access.services.client(RotationEvents.class).publish(RotationEvents.ROLLBACK_REFUSED, detail);
    }
}
