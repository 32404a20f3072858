package dev.secretrotator.ops;

import dev.secretrotator.RotationException;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.telemetry.RotationEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emergency rotation, for a leaked key, departed staff or unexplained 401s: revoke the older
 * {@code AWSPREVIOUS} credential (making room), rotate now, then revoke the credential that was
 * current, skipping grace and quiet periods. Loud logs, a metric and an event.
 */
public final class Emergency {
    private final SecretAccess access;
    private final Sweep sweep;
    private final RotationDriver driver;

    Emergency(SecretAccess access, Sweep sweep, RotationDriver driver) {
        this.access = access;
        this.sweep = sweep;
        this.driver = driver;
    }

    /**
     * @return what was revoked before and after the rotation, and the new current version
     */
    public Map<String, Object> run(String secretId) {
        try {
            return emergency(secretId);
        } catch (RotationException e) {
            access.services.telemetry().error("EMERGENCY rotation failed", Map.of("secretId", secretId, "error", e.reason()));
            throw e.at("secret " + secretId + ", emergency rotation");
        }
    }

    private Map<String, Object> emergency(String secretId) {
        SecretValue leaked = access.current(secretId);
        RotationProvider provider = access.providers.forSecret(leaked);
        access.services.telemetry().warn("EMERGENCY rotation started: the current credential will be revoked at once",
                Map.of("secretId", secretId, "provider", provider.name(), "credentialId", provider.credentialId(leaked)));
        access.services.telemetry().metric("EmergencyRotation", 1, "Count", Map.of("Provider", provider.name()));
        RetirementResult before = sweep.retire(secretId, true);
        String version = driver.rotate(secretId, RotationDriver.Listener.SILENT);
        RetirementResult after = sweep.retire(secretId, true);
        access.services.telemetry().warn("EMERGENCY rotation completed", Map.of("secretId", secretId,
                "versionId", version, "revoked", after.credentialId()));
        SecretMetadata meta = access.store.describe(secretId);
        access.publish(RotationEvents.EMERGENCY, meta.arn(), version, provider, access.current(secretId));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("secretId", secretId);
        result.put("versionId", version);
        result.put("revoked", List.of(line(before), line(after)));
        return result;
    }

    private static Map<String, String> line(RetirementResult r) {
        return Map.of("action", r.action().name(), "credentialId", r.credentialId(), "detail", r.detail());
    }
}
