package dev.secretrotator.provider.http;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.engine.RotationRequest;
import dev.secretrotator.engine.Step;
import dev.secretrotator.handler.Components;
import dev.secretrotator.handler.RotationHandler;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SaasTestServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handler and engine wired to moto and to the production {@code java.net.http} client
 * (no redirects), with a clock the test can move forward; the Secrets Manager client passes
 * through a {@link FaultInjector}. Helpers make a secret for a SaaS test server.
 */
final class SaasRig {
    final MutableClock clock;
    final SecretsManagerClient client;
    final FaultInjector faults = new FaultInjector();
    final Components components;
    final ServiceDriver driver;

    SaasRig(MotoServer moto, MutableClock clock) {
        this(moto, clock, Map.of());
    }

    SaasRig(MotoServer moto, MutableClock clock, Map<String, String> env) {
        this.clock = clock;
        this.client = moto.configure(SecretsManagerClient.builder()).build();
        SecretsManagerClient faulty = faults.wrap(SecretsManagerClient.class, client);
        ProviderServices services = ProviderServices.builder()
                .config(RotatorConfig.fromEnv(dev.secretrotator.TestRotator.testEnv(env)))
                .clock(clock)
                .telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> faulty)
                // as the function's own (AwsClients): never follows a redirect
                .client(HttpClient.class, () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                        .followRedirects(HttpClient.Redirect.NEVER).build())
                .build();
        this.components = Components.of(services);
        this.driver = new ServiceDriver(client, new RotationHandler(components));
    }

    /** Stores the server's admin credentials in an admin secret bound to every secret and the server's host; returns its ARN. */
    String adminSecret(String name, SaasTestServer server) {
        server.adminSecret().values().forEach(LeakCheck::sensitive);
        String arn = client.createSecret(b -> b.name(name).secretString(Json.write(server.adminSecret()))).arn();
        return dev.secretrotator.AdminTags.bindToAccount(client, arn, java.net.URI.create(server.url()).getHost());
    }

    /**
     * The secret JSON for {@code key} of {@code profile} on {@code server}: fast polling, the
     * server's extra fields, and the admin secret if given.
     */
    static Map<String, Object> secret(String profile, SaasTestServer server, ApiKeys.Key key, String adminArn) {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("provider", "http-api-key");
        secret.put("profile", profile);
        secret.put("endpoint", server.url());
        secret.putAll(server.secretFields());
        secret.put("keyId", key.id());
        secret.put("apiKey", key.secret());
        if (adminArn != null) {
            secret.put("adminSecretArn", adminArn);
        }
        secret.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT15S", "consecutiveSuccesses", 2));
        return secret;
    }

    String createSecret(String name, Map<String, Object> value) {
        return client.createSecret(b -> b.name(name).secretString(Json.write(value))).arn();
    }

    Map<String, Object> current(String secretId) {
        return Json.object(client.getSecretValue(b -> b.secretId(secretId).versionStage("AWSCURRENT")).secretString());
    }

    Map<String, List<String>> stages(String secretId) {
        return client.describeSecret(b -> b.secretId(secretId)).versionIdsToStages();
    }

    /** The sweep through the handler, as the scheduled event runs it; the report line of this secret. */
    @SuppressWarnings("unchecked")
    Map<String, Object> sweep(String secretId) {
        String report = driver.invokeRaw(Json.write(Map.of("action", "sweep", "secretIds", List.of(secretId))));
        return ((List<Map<String, Object>>) Json.object(report).get("sweep")).get(0);
    }

    /**
     * An emergency rotation as ops.Emergency runs it: the older previous credential revoked, the
     * four steps, then the credential that was current revoked at once.
     */
    String emergencyRotation(String secretId) {
        components.operations().sweep().retire(secretId, true);
        String token = driver.startRotation(secretId);
        for (Step step : Step.values()) {
            components.engine().execute(new RotationRequest(step, secretId, token, Optional.empty()));
        }
        components.operations().sweep().retire(secretId, true);
        return token;
    }

    /** The emergency sweep: revokes the previous credential at once. */
    RetirementResult emergencySweep(String secretId) {
        return components.operations().sweep().retire(secretId, true);
    }
}
