package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datadog's API keys (v2): {@code POST /api/v2/api_keys {"data": {"type": "api_keys",
 * "attributes": {"name"}}}} → 201 with {@code data.id} and {@code data.attributes.key};
 * {@code GET /api/v2/api_keys?filter=&page[size]=} (10 by default); {@code DELETE
 * /api/v2/api_keys/{id}} → 204; {@code GET /api/v1/validate} with {@code DD-API-KEY} → 200
 * {@code {"valid": true}}. Management needs {@code DD-API-KEY} and {@code DD-APPLICATION-KEY}.
 * Datadog answers 403 {@code {"errors": ["Forbidden"]}} for an invalid, revoked or not yet
 * propagated key (it documents propagation delays for new and revoked keys).
 */
public final class DatadogTestServer extends SaasTestServer {
    private static final Map<String, Object> FORBIDDEN = Map.of("errors", List.of("Forbidden"));

    private final Set<String> applicationKeys = ConcurrentHashMap.newKeySet();
    private volatile ApiKeys.Key adminApiKey;
    private volatile String applicationKey;

    public DatadogTestServer(Clock clock) {
        super("datadog", clock);
        reset();
    }

    public DatadogTestServer() {
        this(Clock.systemUTC());
    }

    @Override
    protected void seedAdmin() {
        applicationKeys.clear();
        adminApiKey = seedKey("admin API key (made in the console)");
        applicationKey = ApiKeys.hex(40);
        applicationKeys.add(applicationKey);
    }

    @Override
    public ApiKeys.Key seedKey(String name) {
        return keys.mint(UUID.randomUUID().toString(), name, ApiKeys.hex(32), Duration.ZERO, null);
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiKey", adminApiKey.secret(), "applicationKey", applicationKey);
    }

    @Override
    public int rejectedStatus() {
        return 403;
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/api/v2/series").header("DD-API-KEY", String.valueOf(secret.get("apiKey")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"series\":[{\"metric\":\"app.ping\",\"points\":[]}]}"));
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path();
        if (p.equals("/api/v1/validate") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals("/api/v2/series") && r.method().equals("POST")) {
            return Operation.CONSUME;
        }
        if (p.equals("/api/v2/api_keys")) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.startsWith("/api/v2/api_keys/")) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        boolean apiKey = keys.authenticate(r.header("DD-API-KEY")).isPresent();
        if (operation == Operation.VERIFY) {
            return apiKey ? Reply.of(200, Map.of("valid", true)) : Reply.of(403, FORBIDDEN);
        }
        if (operation == Operation.CONSUME) {
            return apiKey ? Reply.of(202, Map.of("errors", List.of())) : Reply.of(403, FORBIDDEN);
        }
        String appKey = r.header("DD-APPLICATION-KEY");
        if (!apiKey || appKey == null || !applicationKeys.contains(appKey)) {
            return Reply.of(403, FORBIDDEN);
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CREATE -> create(r);
            case LIST -> {
                String filter = r.query().getOrDefault("filter", "");
                int size = Integer.parseInt(r.query().getOrDefault("page[size]", "10"));
                List<ApiKeys.Key> matching = keys.active().stream().filter(k -> k.name().contains(filter)).toList();
                yield Reply.of(200, Map.of("data", matching.stream().limit(size).map(k -> describe(k, false)).toList(),
                        "meta", Map.of("page", Map.of("total_filtered_count", matching.size()))));
            }
            case REVOKE -> keys.revoke(id) ? Reply.noContent() : notFound();
            case GET_KEY -> keys.active(id).map(k -> Reply.of(200, (Object) Map.of("data", describe(k, false))))
                    .orElseGet(DatadogTestServer::notFound);
            default -> notFound();
        };
    }

    @SuppressWarnings("unchecked")
    private Reply create(Request r) {
        Object data = r.json().get("data");
        Object attributes = data instanceof Map<?, ?> d ? d.get("attributes") : null;
        Object name = attributes instanceof Map<?, ?> a ? ((Map<String, Object>) a).get("name") : null;
        if (!(data instanceof Map<?, ?> d) || !"api_keys".equals(d.get("type")) || !(name instanceof String n) || n.isBlank()) {
            return Reply.of(400, Map.of("errors", List.of("Invalid request: data.type api_keys and data.attributes.name are required")));
        }
        ApiKeys.Key key = keys.mint(UUID.randomUUID().toString(), n, ApiKeys.hex(32), delay(), null);
        return Reply.of(201, Map.of("data", describe(key, true)));
    }

    private static Map<String, Object> describe(ApiKeys.Key key, boolean withKey) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("created_at", key.createdAt().toString());
        attributes.put("last4", key.secret().substring(key.secret().length() - 4));
        attributes.put("modified_at", key.createdAt().toString());
        attributes.put("name", key.name());
        attributes.put("remote_config_read_enabled", true);
        if (withKey) {
            attributes.put("key", key.secret());
        }
        return Map.of("type", "api_keys", "id", key.id(), "attributes", attributes);
    }

    private static Reply notFound() {
        return Reply.of(404, Map.of("errors", List.of("Not found")));
    }
}
