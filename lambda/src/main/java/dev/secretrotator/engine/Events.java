package dev.secretrotator.engine;

import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.telemetry.RotationEvents;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts a rotation event for a secret version: ids and fingerprints only, never a value. */
public final class Events {
    private Events() {}

    /** @return whether the bus accepted it (failures are logged and counted by the publisher) */
    public static boolean publish(ProviderServices services, String detailType, String arn, String versionId,
            RotationProvider provider, SecretValue value) {
        return publish(services, detailType, arn, versionId, provider, value, Map.of());
    }

    /**
     * @param extra further non-secret detail fields, after the standard ones
     * @return whether the bus accepted it
     */
    public static boolean publish(ProviderServices services, String detailType, String arn, String versionId,
            RotationProvider provider, SecretValue value, Map<String, Object> extra) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("secretArn", arn);
        detail.put("versionId", versionId);
        detail.put("provider", provider.name());
        detail.put("credentialId", provider.credentialId(value));
        detail.putAll(extra);
        return services.client(RotationEvents.class).publish(detailType, detail);
    }
}
