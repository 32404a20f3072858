package dev.secretrotator;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.handler.RotationHandler;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handler wired to moto: its Secrets Manager client passes through a
 * {@link FaultInjector}, so a test can fail any call and count them.
 */
public final class TestRotator {
    public final SecretsManagerClient client;
    public final FaultInjector faults = new FaultInjector();
    public final RotationHandler handler;
    public final ServiceDriver driver;

    public TestRotator(MotoServer moto) {
        this(moto, Map.of());
    }

    public TestRotator(MotoServer moto, Map<String, String> env) {
        this.client = moto.configure(SecretsManagerClient.builder()).build();
        SecretsManagerClient faulty = faults.wrap(SecretsManagerClient.class, client);
        ProviderServices services = ProviderServices.builder()
                .config(RotatorConfig.fromEnv(env))
                .telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> faulty)
                .build();
        this.handler = new RotationHandler(Components.of(services));
        this.driver = new ServiceDriver(client, handler);
    }

    /** Creates a secret holding {@code json}; returns its ARN. */
    public String createSecret(String name, String json) {
        return client.createSecret(b -> b.name(name).secretString(json)).arn();
    }

    public Map<String, java.util.List<String>> stages(String secretId) {
        return client.describeSecret(b -> b.secretId(secretId)).versionIdsToStages();
    }

    public String value(String secretId, String stage) {
        return client.getSecretValue(b -> b.secretId(secretId).versionStage(stage)).secretString();
    }
}
