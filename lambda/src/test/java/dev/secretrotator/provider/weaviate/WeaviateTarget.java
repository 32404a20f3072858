package dev.secretrotator.provider.weaviate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.weaviate.WeaviateCalls;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Weaviate the integration tests rotate keys on: the in-process {@link WeaviateTestServer},
 * or a real Weaviate (1.30+, RBAC and database users enabled) when {@code WEAVIATE_URL} and
 * {@code WEAVIATE_ADMIN_KEY} are set. Tests that need the test server's controls (fault
 * injection, clock) are skipped against a real one. User ids get a random suffix on a real
 * server, and every user the tests name is deleted afterwards.
 */
final class WeaviateTarget implements AutoCloseable {
    static final String ENV_USER = "static_app";
    /** A database user name the test server makes root (as AUTHORIZATION_RBAC_ROOT_USERS would). */
    static final String ROOT_APP_USER = "root_app";
    private static final SecureRandom RANDOM = new SecureRandom();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final WeaviateTestServer server;
    private final String baseUrl;
    private final String adminKey;
    private final String suffix;
    private final List<String> named = new ArrayList<>();

    private WeaviateTarget(WeaviateTestServer server, String baseUrl, String adminKey, String suffix) {
        this.server = server;
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
        this.suffix = suffix;
        LeakCheck.sensitive(adminKey);
    }

    static WeaviateTarget start() {
        String url = System.getenv("WEAVIATE_URL");
        if (url != null && !url.isBlank()) {
            String key = System.getenv("WEAVIATE_ADMIN_KEY");
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("WEAVIATE_URL is set: set WEAVIATE_ADMIN_KEY to a root or user-admin key too");
            }
            return new WeaviateTarget(null, url.replaceAll("/+$", ""), key, "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
        }
        String admin = randomKey();
        String envKey = randomKey();
        LeakCheck.sensitive(envKey);
        WeaviateTestServer server = WeaviateTestServer.builder().withRootUser("admin", admin)
                .withRole("reader", "read_data").withEnvUser(ENV_USER, envKey, "viewer").withRootUserNames(ROOT_APP_USER).start();
        return new WeaviateTarget(server, server.baseUrl(), admin, "");
    }

    static String randomKey() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    boolean isTestServer() {
        return server != null;
    }

    /** The test server; skips the test against a real Weaviate. */
    WeaviateTestServer server() {
        assumeTrue(server != null, "needs the Weaviate test server's controls (unset WEAVIATE_URL)");
        return server;
    }

    String baseUrl() {
        return baseUrl;
    }

    String host() {
        return URI.create(baseUrl).getHost();
    }

    String adminKey() {
        return adminKey;
    }

    /** A user id for this run, deleted when the target closes. */
    String user(String base) {
        String id = base + suffix;
        named.add(id);
        return id;
    }

    /** Roles the app users get: custom ones on the test server, a built-in one on a real Weaviate. */
    List<String> appRoles() {
        return isTestServer() ? List.of("reader", "viewer") : List.of("viewer");
    }

    /** Creates a database user holding {@link #appRoles()} and returns its key. */
    String createUser(String id, List<String> roles) {
        String key;
        if (isTestServer()) {
            key = server.createDbUser(id, roles.toArray(String[]::new));
        } else {
            key = (String) Json.object(call("POST", "/v1/users/db/" + id, "{}", adminKey).body()).get("apikey");
            call("POST", "/v1/authz/users/" + id + "/assign", Json.write(Map.of("roles", roles, "userType", "db")), adminKey);
        }
        LeakCheck.sensitive(key);
        return key;
    }

    /** Whether the key authenticates now; on a real Weaviate this is an own-info call (a use of the key). */
    boolean works(String key) {
        return isTestServer() ? server.isKeyValid(key) : ownInfo(key) == 200;
    }

    /** {@code GET /v1/users/own-info} with the key: its status (0 on I/O failure). A use of the key. */
    int ownInfo(String key) {
        try {
            return call("GET", "/v1/users/own-info", null, key).statusCode();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** {@code DBUserInfo} as the admin sees it. */
    Map<String, Object> userInfo(String id) {
        HttpResponse<String> r = call("GET", "/v1/users/db/" + id + "?includeLastUsedTime=true", null, adminKey);
        return r.statusCode() == 200 ? Json.object(r.body()) : Map.of("status", r.statusCode());
    }

    HttpResponse<String> call(String method, String path, String body, String key) {
        return WeaviateCalls.send(http, baseUrl, method, path, body, key);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            return;
        }
        for (String id : named) {
            call("DELETE", "/v1/users/db/" + id, null, adminKey);
        }
    }
}
