package dev.secretrotator.handler;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.engine.RotationEngine;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The function's object graph, built once per container: configuration, clients, providers,
 * engine. Tests build it with their own {@link ProviderServices}.
 *
 * @param services configuration, clock, telemetry and clients
 * @param engine the rotation protocol
 */
public record Components(ProviderServices services, RotationEngine engine) {

    /** The graph Lambda uses: configuration from the environment, default AWS clients. */
    public static Components fromEnvironment() {
        RotatorConfig config = RotatorConfig.fromEnv(System.getenv());
        return of(AwsClients.register(ProviderServices.builder().config(config)).build());
    }

    public static Components of(ProviderServices services) {
        SecretStore store = new SecretStore(services.client(SecretsManagerClient.class));
        return new Components(services, new RotationEngine(store, ProviderRegistry.load(), services));
    }
}
