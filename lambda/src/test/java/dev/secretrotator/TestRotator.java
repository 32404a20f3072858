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
        this(moto, env, ProviderServices.builder());
    }

    /**
     * @param services a builder the test may have given extra clients or a clock; this adds the
     *     configuration from {@code env}, telemetry on stdout and the moto Secrets Manager client
     */
    public TestRotator(MotoServer moto, Map<String, String> env, ProviderServices.Builder services) {
        this(moto.configure(SecretsManagerClient.builder()).build(), env, services);
    }

    public TestRotator(SecretsManagerClient client, Map<String, String> env, ProviderServices.Builder services) {
        this.client = client;
        SecretsManagerClient faulty = faults.wrap(SecretsManagerClient.class, client);
        this.handler = new RotationHandler(Components.of(services
                .config(RotatorConfig.fromEnv(testEnv(env)))
                .telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> faulty)
                .build()));
        this.driver = new ServiceDriver(client, handler);
    }

    /**
     * {@code env} plus {@code ROTATOR_ALLOW_INSECURE_LOOPBACK=true} (the test servers listen on
     * plain HTTP on loopback) unless {@code env} sets it itself.
     */
    public static Map<String, String> testEnv(Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>(env);
        out.putIfAbsent("ROTATOR_ALLOW_INSECURE_LOOPBACK", "true");
        return Map.copyOf(out);
    }

    /** Runs the sweep for {@code secretIds} through the handler; returns its JSON report. */
    public String sweep(String... secretIds) {
        return driver.invokeRaw(dev.secretrotator.testing.Json.write(
                Map.of("action", "sweep", "secretIds", java.util.List.of(secretIds))));
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
