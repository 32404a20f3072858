package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's organization admin API keys: {@code POST /v1/organization/admin_api_keys {name}} → 200
 * with {@code id} and {@code value}; {@code GET /v1/organization/admin_api_keys?limit=&after=}
 * ({@code {"object": "list", "data", "has_more"}}, 20 by default); {@code GET|DELETE
 * /v1/organization/admin_api_keys/{id}}. Bearer auth; any admin key manages admin keys. Each
 * key reports {@code last_used_at} (epoch seconds), updated by every authenticated request.
 * 401 {@code invalid_api_key} for a revoked, unknown or not yet propagated key.
 */
public final class OpenAiAdminKeyTestServer extends SaasTestServer {
    private static final String PATH = "/v1/organization/admin_api_keys";
    private static final Map<String, Object> INVALID = Map.of("error", Map.of("message", "Incorrect API key provided.",
            "type", "invalid_request_error", "code", "invalid_api_key"));

    private volatile ApiKeys.Key admin;

    public OpenAiAdminKeyTestServer(Clock clock) {
        super("openai", clock);
        reset();
    }

    public OpenAiAdminKeyTestServer() {
        this(Clock.systemUTC());
    }

    @Override
    protected void seedAdmin() {
        admin = seedKey("admin key (made in the console)");
    }

    @Override
    public ApiKeys.Key seedKey(String name) {
        return keys.mint("key_" + ApiKeys.random(16), name, "sk-admin-" + ApiKeys.random(48), Duration.ZERO, null);
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiKey", admin.secret());
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/v1/organization/users?limit=1").header("Authorization", "Bearer " + secret.get("apiKey")).GET();
    }

    @Override
    protected Operation route(Request r) {
        if (r.path().equals("/v1/organization/users") && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (r.path().equals(PATH)) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (r.path().startsWith(PATH + "/")) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        String auth = r.header("Authorization");
        Optional<ApiKeys.Key> caller = auth != null && auth.startsWith("Bearer ")
                ? keys.authenticate(auth.substring(7)) : Optional.empty();
        if (caller.isEmpty()) {
            return Reply.of(401, INVALID);
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CONSUME -> Reply.of(200, Map.of("object", "list", "data", List.of(), "has_more", false));
            case CREATE -> {
                Object name = r.json().get("name");
                if (!(name instanceof String n) || n.isBlank()) {
                    yield Reply.of(400, Map.of("error", Map.of("message", "name is required", "type", "invalid_request_error")));
                }
                ApiKeys.Key key = keys.mint("key_" + ApiKeys.random(16), n, "sk-admin-" + ApiKeys.random(48), delay(), null);
                Map<String, Object> json = describe(key);
                json.put("value", key.secret());
                yield Reply.of(200, json);
            }
            case LIST -> {
                int limit = Integer.parseInt(r.query().getOrDefault("limit", "20"));
                String after = r.query().get("after");
                List<ApiKeys.Key> all = keys.active();
                int from = 0;
                for (int i = 0; after != null && i < all.size(); i++) {
                    if (all.get(i).id().equals(after)) {
                        from = i + 1;
                    }
                }
                List<Map<String, Object>> page = all.subList(from, Math.min(all.size(), from + limit)).stream()
                        .map(OpenAiAdminKeyTestServer::describe).toList();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("object", "list");
                json.put("data", page);
                json.put("has_more", from + limit < all.size());
                yield Reply.of(200, json);
            }
            case REVOKE -> keys.revoke(id)
                    ? Reply.of(200, Map.of("object", "organization.admin_api_key.deleted", "id", id, "deleted", true))
                    : notFound();
            case GET_KEY -> keys.active(id).map(k -> Reply.of(200, (Object) describe(k))).orElseGet(OpenAiAdminKeyTestServer::notFound);
            default -> notFound();
        };
    }

    private static Map<String, Object> describe(ApiKeys.Key key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("object", "organization.admin_api_key");
        json.put("id", key.id());
        json.put("name", key.name());
        json.put("redacted_value", "sk-admin..." + key.secret().substring(key.secret().length() - 4));
        json.put("created_at", key.createdAt().getEpochSecond());
        json.put("last_used_at", key.lastUsedAt().map(t -> (Object) t.getEpochSecond()).orElse(null));
        json.put("owner", Map.of("type", "user", "object", "organization.user", "id", "user_test", "role", "owner"));
        return json;
    }

    private static Reply notFound() {
        return Reply.of(404, Map.of("error", Map.of("message", "Admin API key not found", "type", "invalid_request_error")));
    }
}
