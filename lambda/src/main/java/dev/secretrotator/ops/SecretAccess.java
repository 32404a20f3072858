package dev.secretrotator.ops;

import dev.secretrotator.engine.Events;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.util.Optional;

/** What every operation needs: the store, the providers, contexts, events. */
final class SecretAccess {
    final SecretStore store;
    final ProviderRegistry providers;
    final ProviderServices services;

    SecretAccess(SecretStore store, ProviderRegistry providers, ProviderServices services) {
        this.store = store;
        this.providers = providers;
        this.services = services;
    }

    /** Reads and parses a value, registering its credentials with the redactor. */
    SecretValue read(String json) {
        SecretValue value = SecretValue.parse(json);
        value.sensitiveValues().forEach(services.telemetry().redactor()::register);
        return value;
    }

    SecretValue current(String secretId) {
        return read(store.valueAt(secretId, SecretMetadata.CURRENT));
    }

    Optional<SecretValue> version(String secretId, String versionId, String stage) {
        return store.findValue(secretId, versionId, stage).map(this::read);
    }

    StepContext context(String secretId, SecretMetadata meta, String versionId, SecretValue current,
            Optional<SecretValue> pending, boolean emergency) {
        return new StepContext(secretId, meta.arn(), versionId, current, pending, Optional.empty(), emergency,
                StoredHistory.readOnly(store, secretId, v -> v.sensitiveValues().forEach(services.telemetry().redactor()::register),
                        services.clock()),
                services);
    }

    void publish(String detailType, String arn, String versionId, RotationProvider provider, SecretValue value) {
        Events.publish(services, detailType, arn, versionId, provider, value);
    }

    void publish(String detailType, String arn, String versionId, RotationProvider provider, SecretValue value,
            java.util.Map<String, Object> extra) {
        Events.publish(services, detailType, arn, versionId, provider, value, extra);
    }
}
