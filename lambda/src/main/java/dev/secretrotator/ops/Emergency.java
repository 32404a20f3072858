package dev.secretrotator.ops;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.engine.AllowList;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.StagingGate;
import dev.secretrotator.engine.StoredHistory;
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
 * current, skipping grace and quiet periods. Loud logs, a metric and an event. Runs the secret's
 * configured rotation; refuses, before any change, a secret outside the allow-list or whose
 * rotation is off. Records the revoked credential in the tag
 * {@value #REVOKED_PREFIX}{@code <credential id>} = {@code <version id> <ISO instant>}, which
 * {@link Rollback} checks.
 */
public final class Emergency {
    /** Prefix of the tag naming a credential an emergency rotation revoked, and its version. */
    public static final String REVOKED_PREFIX = "secret-rotator:revoked:";

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
        SecretMetadata start = access.store.describe(secretId);
        AllowList.require(access.services.config(), start, "run an emergency rotation of");
        RotationDriver.requireRotationEnabled(start, "an emergency rotation");
        String leakedVersion = start.versionWith(SecretMetadata.CURRENT).orElseThrow(() ->
                new RotationStateException("the secret has no AWSCURRENT version"));
        // checked before the first revocation: RotateSecret would refuse, after a credential was revoked for nothing
        start.versionWith(SecretMetadata.PENDING).filter(v -> !v.equals(leakedVersion)).ifPresent(stuck -> {
            throw new RotationStateException("a rotation is in progress or was abandoned (version " + stuck
                    + " holds AWSPENDING), and Secrets Manager refuses a new one until it goes; nothing was revoked."
                    + " Run repair (repair <secret> --apply), then the emergency rotation again");
        });
        SecretValue leaked = access.current(secretId);
        RotationProvider provider = access.providers.forSecret(leaked);
        access.services.telemetry().warn("EMERGENCY rotation started: the current credential will be revoked at once",
                Map.of("secretId", secretId, "provider", provider.name(), "credentialId", provider.credentialId(leaked)));
        access.services.telemetry().metric("EmergencyRotation", 1, "Count", Map.of("Provider", provider.name()));
        RetirementResult before = sweep.retire(secretId, true);
        String version = driver.rotate(secretId, RotationDriver.Listener.SILENT, StagingGate.EMERGENCY_TOKEN_PREFIX);
        RetirementResult after = sweep.retire(secretId, true);
        recordRevoked(secretId, start, provider.credentialId(leaked), leakedVersion);
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

    /** Tags the leaked credential (now AWSPREVIOUS) as revoked; drops such tags of earlier emergencies. */
    private void recordRevoked(String secretId, SecretMetadata start, String credentialId, String version) {
        String key = REVOKED_PREFIX + credentialId;
        access.store.tag(secretId, key, StoredHistory.cutoverTag(version, access.services.clock().instant()));
        start.tags().keySet().stream().filter(k -> k.startsWith(REVOKED_PREFIX) && !k.equals(key))
                .forEach(k -> access.store.untag(secretId, k));
    }

    private static Map<String, String> line(RetirementResult r) {
        return Map.of("action", r.action().name(), "credentialId", r.credentialId(), "detail", r.detail());
    }
}
