package dev.secretrotator.handler;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.engine.RotationEngine;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.ops.Operations;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The function's object graph, built once per container: configuration, clients, providers,
 * engine, operations. Tests build it with their own {@link ProviderServices}.
 *
 * @param services configuration, clock, telemetry and clients
 * @param engine the rotation protocol
 * @param operations sweep and the other operation events
 */
public record Components(ProviderServices services, RotationEngine engine, Operations operations) {

    /** The graph Lambda uses: configuration from the environment, default AWS clients. */
    public static Components fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The graph Lambda uses, from {@code env}: telemetry carries the function's name
     * ({@code AWS_LAMBDA_FUNCTION_NAME}) as the {@code FunctionName} dimension of every metric.
     */
    static Components fromEnvironment(java.util.Map<String, String> env) {
        RotatorConfig config = RotatorConfig.fromEnv(env);
        Telemetry telemetry = Telemetry.stdout().withFunctionName(config.functionName());
        return of(AwsClients.register(ProviderServices.builder().config(config).telemetry(telemetry),
                config.eventBusName(), telemetry).build());
    }

    public static Components of(ProviderServices services) {
        SecretStore store = new SecretStore(services.client(SecretsManagerClient.class));
        ProviderRegistry providers = ProviderRegistry.load();
        RotationEngine engine = new RotationEngine(store, providers, services);
        return new Components(services, engine, new Operations(store, providers, services, engine));
    }
}
