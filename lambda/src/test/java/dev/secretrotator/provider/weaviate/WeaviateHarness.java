package dev.secretrotator.provider.weaviate;

import dev.secretrotator.AdminTags;
import dev.secretrotator.TestRotator;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.engine.RotationRequest;
import dev.secretrotator.engine.Step;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The real handler on moto with a {@link WeaviateTarget}: one clock shared by the function and
 * the test server, the admin key in its own secret, and an engine for emergency rotations
 * (which the handler's events cannot ask for).
 */
final class WeaviateHarness {
    final WeaviateTarget target;
    final MutableClock clock = new MutableClock();
    final TestRotator rotator;
    final String adminArn;
    private final Components components;

    WeaviateHarness(MotoServer moto, WeaviateTarget target) {
        this.target = target;
        if (target.isTestServer()) {
            target.server().setClock(clock);
        }
        Map<String, String> env = Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", target.host());
        this.rotator = new TestRotator(moto, env, ProviderServices.builder().clock(clock)
                .client(HttpClient.class, () -> target.http));
        this.components = Components.of(ProviderServices.builder().config(RotatorConfig.fromEnv(TestRotator.testEnv(env))).clock(clock)
                .telemetry(Telemetry.stdout()).client(HttpClient.class, () -> target.http)
                .client(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.class, () -> rotator.client)
                .build());
        this.adminArn = AdminTags.bindToAccount(rotator.client,
                rotator.createSecret("weaviate-admin", Json.write(Map.of("apiKey", target.adminKey()))), target.host());
    }

    /** A secret for {@code active} (created on the target with the app roles) and {@code alternate}. */
    String alternatingSecret(String name, String active, String alternate, Map<String, Object> extra) {
        Map<String, Object> fields = base(active, extra);
        fields.put("alternateUserId", alternate);
        return rotator.createSecret(name, Json.write(order(fields, extra)));
    }

    String singleUserSecret(String name, String user, Map<String, Object> extra) {
        Map<String, Object> fields = base(user, extra);
        fields.put("strategy", "single-user");
        return rotator.createSecret(name, Json.write(order(fields, extra)));
    }

    private Map<String, Object> base(String user, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("provider", "weaviate");
        fields.put("endpoint", target.baseUrl());
        fields.put("userId", user);
        fields.put("apiKey", target.createUser(user, target.appRoles()));
        fields.put("adminSecretArn", adminArn);
        fields.put("retirement", Map.of("quietPeriod", "PT1S"));
        fields.put("verification", Map.of("timeout", "PT10S"));
        return fields;
    }

    private static Map<String, Object> order(Map<String, Object> fields, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        extra.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    Map<String, Object> value(String arn, String stage) {
        return Json.object(rotator.value(arn, stage));
    }

    /** The stored value of the version, if it has one. */
    Optional<Map<String, Object>> valueOf(String arn, String versionId) {
        try {
            return Optional.of(Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(versionId)).secretString()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    String currentKey(String arn) {
        return (String) value(arn, "AWSCURRENT").get("apiKey");
    }

    Map<String, String> tags(String arn) {
        Map<String, String> tags = new LinkedHashMap<>();
        rotator.client.describeSecret(b -> b.secretId(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /**
     * An emergency rotation of a started rotation as ops.Emergency runs it: the idle previous user
     * revoked, the four steps, then the user that was current revoked at once.
     */
    void emergencyRotation(String arn, String token) {
        components.operations().sweep().retire(arn, true);
        for (String step : EventFixtures.STEPS) {
            components.engine().execute(new RotationRequest(Step.fromWire(step), arn, token, Optional.empty()));
        }
        components.operations().sweep().retire(arn, true);
    }

    RetirementResult emergencySweep(String arn) {
        return components.operations().sweep().retire(arn, true);
    }

    /** The sweep through the handler; the one line of its report. */
    @SuppressWarnings("unchecked")
    Map<String, Object> sweep(String arn) {
        String report = rotator.driver.invokeRaw(Json.write(Map.of("action", "sweep", "secretIds", List.of(arn))));
        return ((List<Map<String, Object>>) Json.object(report).get("sweep")).get(0);
    }

    @SuppressWarnings("unchecked")
    List<String> roles(String user) {
        Object roles = target.userInfo(user).get("roles");
        return roles instanceof List<?> l ? ((List<String>) l).stream().sorted().toList() : List.of();
    }
}
