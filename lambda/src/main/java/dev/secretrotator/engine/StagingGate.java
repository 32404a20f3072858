package dev.secretrotator.engine;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.provider.ProviderServices;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Staging as a gate (optional per pair): a production secret names its staging twin in its tag
 * {@link #TWIN_TAG} (the twin's ARN or name). A tag, because writing the secret's value cannot
 * change it, and the function's role may not write it either (it is denied with the binding tags).
 *
 * <p>createSecret of the production secret refuses, before it writes anything, while the twin
 * <ul>
 *   <li>cannot be described (not found, or {@code DescribeSecret} not granted on it);</li>
 *   <li>is not rotated (rotation off), or has never been rotated (no {@code LastRotatedDate}, and no
 *       cutover recorded by this function in its tag {@code secret-rotator:cutover});</li>
 *   <li>still has {@code AWSPENDING} on a version that is not {@code AWSCURRENT}: its last rotation
 *       failed (the service leaves that label after a failure; after success it is removed), or is
 *       still running;</li>
 *   <li>is overdue: its {@code NextRotationDate} passed more than {@link #WINDOW_SLACK} ago (a
 *       rotation window lasts at most 24 hours), so its scheduled rotation did not happen.</li>
 * </ul>
 * Each refusal logs why, emits the metric {@code RotationGated} and fails the step; Secrets
 * Manager retries the rotation later, and the RotationFailed alarm pages. An emergency rotation
 * (its version id starts with {@link #EMERGENCY_TOKEN_PREFIX}) is never gated.
 *
 * <p>Stateless, thread-safe. One {@code DescribeSecret} of the twin per gated createSecret.
 */
public final class StagingGate {
    /** The production secret's tag naming its staging twin (ARN or name). */
    public static final String TWIN_TAG = "secret-rotator:staging-twin";
    /** Version ids of emergency rotations start with this; they pass the gate. */
    public static final String EMERGENCY_TOKEN_PREFIX = "emergency-";
    static final Duration WINDOW_SLACK = Duration.ofHours(24);

    private StagingGate() {}

    /**
     * @throws RotationStateException naming the twin and the reason, when the twin holds production back
     */
    static void check(SecretStore store, ProviderServices services, RotationRequest request, SecretMetadata meta, String provider) {
        String twin = meta.tags().get(TWIN_TAG);
        if (twin == null || twin.isBlank() || request.clientRequestToken().startsWith(EMERGENCY_TOKEN_PREFIX)) {
            return;
        }
        Optional<String> reason = reason(store, twin, services.clock().instant());
        if (reason.isEmpty()) {
            return;
        }
        services.telemetry().metric("RotationGated", 1, "Count", Map.of("Provider", provider));
        services.telemetry().warn("rotation gated by its staging twin", Map.of("secretId", request.secretId(),
                "stagingTwin", twin, "reason", reason.get()));
        throw new RotationStateException("gated by staging twin " + twin + " (tag " + TWIN_TAG + "): " + reason.get()
                + ". Nothing was changed. Fix and rotate the twin first; to release this secret anyway, remove the tag"
                + " (aws secretsmanager untag-resource --secret-id " + meta.arn() + " --tag-keys " + TWIN_TAG + ")");
    }

    private static Optional<String> reason(SecretStore store, String twin, Instant now) {
        SecretMetadata t;
        try {
            t = store.describe(twin);
        } catch (RotationException e) {
            return Optional.of("it cannot be described (" + e.reason() + "); the twin must exist and the function"
                    + " needs secretsmanager:DescribeSecret on it");
        }
        if (!t.rotationEnabled()) {
            return Optional.of("its rotation is not enabled");
        }
        // the service's LastRotatedDate, or this function's own record of the twin's last cutover
        Optional<Instant> last = latest(t.lastRotated(), StoredHistory.recordedCutover(t));
        if (last.isEmpty()) {
            return Optional.of("it has never been rotated");
        }
        Optional<String> pending = t.versionWith(PENDING).filter(v -> !t.hasStage(v, CURRENT));
        if (pending.isPresent()) {
            return Optional.of("its last rotation failed or is still running (version " + pending.get()
                    + " is still AWSPENDING; last successful rotation " + last.get() + ")");
        }
        Optional<Instant> due = t.nextRotation();
        if (due.isPresent() && due.get().plus(WINDOW_SLACK).isBefore(now)) {
            return Optional.of("it is overdue: its rotation was due " + due.get() + " and has not happened"
                    + " (last rotated " + last.get() + ")");
        }
        return Optional.empty();
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }
}
