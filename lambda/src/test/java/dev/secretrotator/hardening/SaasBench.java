package dev.secretrotator.hardening;

import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.FaultyHttpClient;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceSemantics;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SaasTestServer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handler on moto for the {@code http-api-key} provider against a SaaS test server: the
 * function's HTTP calls through a {@link FaultyHttpClient} that records every key the vendor
 * issued to it, Secrets Manager with the service's {@code PutSecretValue} semantics, the admin
 * key in its own secret. Each bench is one container (its own provider instances).
 */
final class SaasBench {
    final SaasTestServer server;
    final FaultyHttpClient http = new FaultyHttpClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build());
    final TestRotator rotator;
    final String adminArn;
    /** Every key the vendor issued (to the function or the test). */
    final List<String> issued = new CopyOnWriteArrayList<>();

    SaasBench(MotoServer moto, SaasTestServer server, MutableClock clock) {
        this(moto, server, clock, ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build()), null);
    }

    /** Another container on the same emulator: shares the Secrets Manager client and the admin secret. */
    SaasBench(MotoServer moto, SaasTestServer server, MutableClock clock, SecretsManagerClient sm, String adminArn) {
        this.server = server;
        http.observe(response -> {
            if (response.body() instanceof byte[] body && body.length > 0 && body[0] == '{') {
                try {
                    Object key = Json.object(new String(body, StandardCharsets.UTF_8)).get("api_key");
                    if (key instanceof String k) {
                        issued.add(k);
                        LeakCheck.sensitive(k);
                    }
                } catch (RuntimeException notAnObject) {
                    // no key in it
                }
            }
        });
        rotator = new TestRotator(sm, Map.of(), ProviderServices.builder().clock(clock).client(HttpClient.class, () -> http));
        server.adminSecret().values().forEach(v -> {
            issued.add(v);
            LeakCheck.sensitive(v);
        });
        this.adminArn = adminArn != null ? adminArn
                : dev.secretrotator.AdminTags.bindToAccount(rotator.client, rotator.createSecret("admin/saas-"
                        + Long.toString(System.nanoTime(), 36), Json.write(server.adminSecret())), "127.0.0.1");
    }

    /** A key made in the vendor's console. */
    ApiKeys.Key seed(String name) {
        ApiKeys.Key key = server.seedKey(name);
        issued.add(key.secret());
        LeakCheck.sensitive(key.secret());
        return key;
    }

    /** The secret JSON of {@code key} for {@code profile}: fast polling, keys named {@code rotator-<token>}. */
    Map<String, Object> secret(String profile, ApiKeys.Key key) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("provider", "http-api-key");
        v.put("profile", profile);
        v.put("endpoint", server.url());
        v.putAll(server.secretFields());
        v.put("keyId", key.id());
        v.put("apiKey", key.secret());
        v.put("adminSecretArn", adminArn);
        v.put("keyName", "rotator-{versionId}");
        v.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT10S", "consecutiveSuccesses", 2));
        return v;
    }

    /** Whether the vendor accepts the key in the value now. */
    boolean works(Map<String, Object> value) {
        int status = server.consumerCall(value);
        return status >= 200 && status < 300;
    }
}
