package dev.secretrotator.telemetry;

import java.util.Map;

/**
 * Events for consumers of rotated secrets (refresh caches, restart pods that read secrets into
 * environment variables): source {@value #SOURCE}, detail types below, detail with
 * {@code secretArn}, {@code versionId}, {@code provider}, {@code credentialId} (a non-secret id or
 * fingerprint), never a value. An implementation logs and counts its own failures
 * ({@code EventPublishFailed}) and never throws; the caller decides what a lost event means (a
 * finishSecret fails, so that the service's retry publishes again: at-least-once delivery).
 */
public interface RotationEvents {
    String SOURCE = "secret-rotator";
    String ROTATED = "Secret Rotated";
    String RETIRED = "Credential Retired";
    String EMERGENCY = "Emergency Rotation";
    String ROLLED_BACK = "Secret Rolled Back";
    /**
     * An automatic rollback (from an AutoRollback alarm) that the function declined; detail
     * {@code secretArn}, {@code versionId} (still current), {@code automatic: true}, {@code reason}.
     */
    String ROLLBACK_REFUSED = "Automatic Rollback Refused";

    /** Drops every event (no bus configured). */
    RotationEvents NONE = (detailType, detail) -> true;

    /** @return whether the event was accepted by the bus */
    boolean publish(String detailType, Map<String, Object> detail);
}
