package dev.secretrotator.hardening;

import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.FaultyHttpClient;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceSemantics;
import dev.secretrotator.testing.weaviate.WeaviateCalls;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handler on moto for the {@code weaviate} provider against a {@link WeaviateTestServer}:
 * the function's HTTP calls through a {@link FaultyHttpClient} that records every key Weaviate
 * issued to it, Secrets Manager with the service's {@code PutSecretValue} semantics, the admin key
 * in its own secret, and one clock for the function and the server.
 */
final class WeaviateBench {
    private static final SecureRandom RANDOM = new SecureRandom();

    final WeaviateTestServer server;
    final String adminKey;
    final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    final FaultyHttpClient http = new FaultyHttpClient(plain);
    final MutableClock clock = new MutableClock();
    final TestRotator rotator;
    final String adminArn;
    /** Every key Weaviate returned to the function or the test. */
    final List<String> issued = new CopyOnWriteArrayList<>();

    /** A server with a root user; every key it issues is registered as sensitive. */
    static WeaviateTestServer startServer(String adminKey) {
        return WeaviateTestServer.builder().withRootUser("admin", adminKey).withRole("reader", "read_data").start();
    }

    static String randomKey() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        LeakCheck.sensitive(key);
        return key;
    }

    WeaviateBench(MotoServer moto, WeaviateTestServer server, String adminKey) {
        this.server = server;
        this.adminKey = adminKey;
        issued.add(adminKey);
        server.setClock(clock);
        http.observe(response -> {
            if (response.body() instanceof byte[] body && body.length > 0 && body[0] == '{') {
                try {
                    if (Json.object(new String(body, java.nio.charset.StandardCharsets.UTF_8)).get("apikey") instanceof String key) {
                        issued.add(key);
                        LeakCheck.sensitive(key);
                    }
                } catch (RuntimeException notAnObject) {
                    // not JSON: no key in it
                }
            }
        });
        SecretsManagerClient sm = ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build());
        rotator = new TestRotator(sm, Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1"),
                ProviderServices.builder().clock(clock).client(HttpClient.class, () -> http));
        adminArn = dev.secretrotator.AdminTags.bindToAccount(rotator.client, rotator.createSecret("weaviate-admin-"
                + Long.toString(System.nanoTime(), 36), Json.write(Map.of("apiKey", adminKey))), "127.0.0.1");
    }

    /** Creates a database user with the app roles; returns its key. */
    String user(String id) {
        String key = server.createDbUser(id, "reader", "viewer");
        issued.add(key);
        LeakCheck.sensitive(key);
        return key;
    }

    /** A secret for two users (the first created now, the second on the first rotation). */
    String alternatingSecret(String name, String active, String alternate, Map<String, Object> extra) {
        Map<String, Object> v = base(active);
        v.put("alternateUserId", alternate);
        v.putAll(extra);
        return rotator.createSecret(name, Json.write(v));
    }

    String singleUserSecret(String name, String user, Map<String, Object> extra) {
        Map<String, Object> v = base(user);
        v.put("strategy", "single-user");
        v.putAll(extra);
        return rotator.createSecret(name, Json.write(v));
    }

    private Map<String, Object> base(String user) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("provider", "weaviate");
        v.put("endpoint", server.baseUrl());
        v.put("userId", user);
        v.put("apiKey", user(user));
        v.put("adminSecretArn", adminArn);
        v.put("retirement", Map.of("gracePeriod", "PT0S", "quietPeriod", "PT0S"));
        v.put("verification", Map.of("timeout", "PT5S", "consecutiveSuccesses", 2));
        return v;
    }

    /** Whether the key authenticates now as {@code user} (not counted as a use). */
    boolean works(String key, String user) {
        return key != null && server.isKeyValid(key) && key.equals(server.apiKeyOf(user));
    }

    /** The database users whose ids start with {@code prefix}. */
    @SuppressWarnings("unchecked")
    Set<String> users(String prefix) {
        HttpResponse<String> r = WeaviateCalls.send(plain, server.baseUrl(), "GET", "/v1/users/db", null, adminKey);
        Set<String> ids = new TreeSet<>();
        for (Object u : (List<Object>) Json.parse(r.body())) {
            String id = (String) ((Map<String, Object>) u).get("userId");
            if (id.startsWith(prefix)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
