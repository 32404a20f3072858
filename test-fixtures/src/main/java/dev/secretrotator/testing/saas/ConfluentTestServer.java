package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Confluent Cloud API keys (IAM v2) for one Kafka cluster, and that cluster's REST endpoint, on one
 * loopback port. {@code POST /iam/v2/api-keys {"spec": {display_name, description?, owner: {id},
 * resource: {id, environment?}}}} → 202 with {@code id} (the key, also its Basic user name) and
 * {@code spec.secret} (shown once); {@code GET /iam/v2/api-keys?page_size=} ({@code {"data"}},
 * up to 100 a page); {@code GET /iam/v2/api-keys/{id}} (spec without the secret); {@code DELETE
 * /iam/v2/api-keys/{id}} → 204, at once. Management authenticates with HTTP Basic of a Cloud API
 * key of an OrganizationAdmin (or of the owning service account's ResourceOwner). The cluster's
 * Kafka REST API v3 ({@code GET /kafka/v3/clusters}) accepts the cluster's keys with HTTP Basic
 * {@code key:secret} once they have synced (Confluent: about two minutes; the propagation delay
 * here). Errors: 401 {@code {"errors": [{"status": "401", "detail": "Unauthorized"}]}} on the Cloud
 * API, 401 {@code {"error_code": 40101, "message": "Authentication failed"}} on Kafka REST, 404
 * {@code {"errors": [{"status": "404", "detail": "..."}]}} for an unknown or deleted key. Keys
 * coexist up to the organization's quota.
 */
public final class ConfluentTestServer extends SaasTestServer {
    static final String CLUSTER = "lkc-abc123";
    static final String ENVIRONMENT = "env-xyz789";
    static final String OWNER = "sa-r2d2";

    /** The owner and resource of a key. */
    private record Meta(String owner, String resource, String environment, String description) {}

    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private volatile ApiKeys.Key cloudKey;

    public ConfluentTestServer(Clock clock) {
        super("confluent", clock);
        reset();
    }

    @Override
    protected void seedAdmin() {
        meta.clear();
        cloudKey = keys.mint(ApiKeys.random(16).toUpperCase(java.util.Locale.ROOT), "OrganizationAdmin cloud key",
                ApiKeys.random(64), Duration.ZERO, null);
    }

    /** A Kafka API key of the service account, made in the console. */
    @Override
    public ApiKeys.Key seedKey(String name) {
        ApiKeys.Key key = keys.mint(ApiKeys.random(16).toUpperCase(java.util.Locale.ROOT), name, ApiKeys.random(64), Duration.ZERO, null);
        meta.put(key.id(), new Meta(OWNER, CLUSTER, ENVIRONMENT, "made in the console"));
        return key;
    }

    public String owner(String keyId) {
        return meta.get(keyId).owner();
    }

    public String resource(String keyId) {
        return meta.get(keyId).resource() + "@" + meta.get(keyId).environment();
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("username", cloudKey.id(), "password", cloudKey.secret());
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("restEndpoint", url());
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/kafka/v3/clusters/" + CLUSTER + "/topics").header("Authorization", basic(secret.get("keyId"), secret.get("apiKey"))).GET();
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path();
        if (p.equals("/kafka/v3/clusters") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals("/kafka/v3/clusters/" + CLUSTER + "/topics") && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (p.equals("/iam/v2/api-keys")) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.startsWith("/iam/v2/api-keys/") && p.indexOf('/', 17) < 0) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        Optional<ApiKeys.Key> caller = caller(r.header("Authorization"));
        if (operation == Operation.VERIFY || operation == Operation.CONSUME) {
            if (caller.isEmpty() || !meta.containsKey(caller.get().id()) || !CLUSTER.equals(meta.get(caller.get().id()).resource())) {
                return Reply.of(401, Map.of("error_code", 40101, "message", "Authentication failed"));
            }
            return Reply.of(200, Map.of("kind", "KafkaClusterList", "data", operation == Operation.VERIFY
                    ? List.of(Map.of("kind", "KafkaCluster", "cluster_id", CLUSTER)) : List.of()));
        }
        if (caller.isEmpty() || caller.get() != cloudKey) {
            return errors(401, "Unauthorized");
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CREATE -> create(r);
            case LIST -> Reply.of(200, Map.of("api_version", "iam/v2", "kind", "ApiKeyList",
                    "data", keys.active().stream().filter(k -> meta.containsKey(k.id()))
                            .limit(Math.min(100, Integer.parseInt(r.query().getOrDefault("page_size", "10"))))
                            .map(k -> describe(k, false)).toList()));
            case GET_KEY -> keys.active(id).filter(k -> meta.containsKey(id)).map(k -> Reply.of(200, (Object) describe(k, false)))
                    .orElseGet(() -> errors(404, "API key '" + id + "' not found"));
            case REVOKE -> meta.containsKey(id) && keys.revoke(id) ? Reply.noContent() : errors(404, "API key '" + id + "' not found");
            default -> errors(404, "Not Found");
        };
    }

    @SuppressWarnings("unchecked")
    private Reply create(Request r) {
        Object spec = r.json().get("spec");
        Map<String, Object> s = spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object owner = s.get("owner") instanceof Map<?, ?> o ? o.get("id") : null;
        Map<String, Object> resource = s.get("resource") instanceof Map<?, ?> res ? (Map<String, Object>) res : Map.of();
        if (!(owner instanceof String o) || !(resource.get("id") instanceof String res)) {
            return errors(400, "spec.owner.id and spec.resource.id are required");
        }
        if (!o.equals(OWNER) || !res.equals(CLUSTER)) {
            return errors(403, "Forbidden Access");
        }
        ApiKeys.Key key = keys.mint(ApiKeys.random(16).toUpperCase(java.util.Locale.ROOT), String.valueOf(s.get("display_name")),
                ApiKeys.random(64), delay(), null);
        meta.put(key.id(), new Meta(o, res, String.valueOf(resource.getOrDefault("environment", ENVIRONMENT)),
                String.valueOf(s.getOrDefault("description", ""))));
        return Reply.of(202, describe(key, true));
    }

    private Map<String, Object> describe(ApiKeys.Key key, boolean withSecret) {
        Meta m = meta.get(key.id());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("display_name", key.name());
        spec.put("description", m.description());
        spec.put("owner", Map.of("id", m.owner(), "kind", "ServiceAccount", "api_version", "iam/v2",
                "related", "https://api.confluent.cloud/iam/v2/service-accounts/" + m.owner()));
        spec.put("resource", Map.of("id", m.resource(), "environment", m.environment(), "kind", "Cluster",
                "api_version", "cmk/v2", "related", "https://api.confluent.cloud/cmk/v2/clusters/" + m.resource()));
        if (withSecret) {
            spec.put("secret", key.secret());
        }
        return Map.of("api_version", "iam/v2", "kind", "ApiKey", "id", key.id(),
                "metadata", Map.of("created_at", key.createdAt().toString()), "spec", spec);
    }

    private Optional<ApiKeys.Key> caller(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return Optional.empty();
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : keys.authenticate(decoded.substring(colon + 1)).filter(k -> k.id().equals(decoded.substring(0, colon)));
    }

    private static String basic(Object user, Object password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Reply errors(int status, String detail) {
        return Reply.of(status, Map.of("errors", List.of(Map.of("status", String.valueOf(status), "detail", detail))));
    }
}
