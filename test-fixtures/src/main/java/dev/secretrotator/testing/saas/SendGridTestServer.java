package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SendGrid's API keys API (v3): {@code POST /v3/api_keys {name, scopes}} → 201 with
 * {@code api_key} and {@code api_key_id}; {@code GET /v3/api_keys?limit=}; {@code DELETE
 * /v3/api_keys/{id}} → 204; {@code GET /v3/scopes} returns the calling key's scopes. Bearer
 * auth; 401 for a revoked, unknown or not yet propagated key; 403 when the key lacks the
 * {@code api_keys.*} scopes; at most 100 keys.
 */
public final class SendGridTestServer extends SaasTestServer {
    static final List<String> KEY_SCOPES = List.of("api_keys.create", "api_keys.read", "api_keys.update", "api_keys.delete");
    private static final List<String> ALL_SCOPES = List.of("api_keys.create", "api_keys.read", "api_keys.update",
            "api_keys.delete", "mail.send", "scopes.read", "stats.read");
    private static final Map<String, Object> UNAUTHORIZED =
            Map.of("errors", List.of(Map.of("field", "", "message", "authorization required")));
    private static final int MAX_KEYS = 100;

    private volatile ApiKeys.Key admin;

    public SendGridTestServer(Clock clock) {
        super("sendgrid", clock);
        reset();
    }

    public SendGridTestServer() {
        this(Clock.systemUTC());
    }

    @Override
    protected void seedAdmin() {
        admin = mint("admin key (made in the console)", KEY_SCOPES, Duration.ZERO);
    }

    @Override
    public ApiKeys.Key seedKey(String name) {
        return mint(name, null, Duration.ZERO);
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiKey", admin.secret());
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/v3/user/account").header("Authorization", "Bearer " + secret.get("apiKey")).GET();
    }

    private ApiKeys.Key mint(String name, List<String> scopes, Duration delay) {
        String id = ApiKeys.random(22);
        return keys.mint(id, name, "SG." + id + "." + ApiKeys.random(43), delay, scopes);
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path();
        if (p.equals("/v3/scopes") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals("/v3/user/account") && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (p.equals("/v3/api_keys")) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.startsWith("/v3/api_keys/")) {
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
            return Reply.of(401, UNAUTHORIZED);
        }
        List<String> scopes = caller.get().scopes() == null ? ALL_SCOPES : caller.get().scopes();
        if (operation == Operation.VERIFY) {
            return Reply.of(200, Map.of("scopes", scopes));
        }
        if (operation == Operation.CONSUME) {
            return Reply.of(200, Map.of("type", "free", "reputation", 99));
        }
        if (!scopes.containsAll(KEY_SCOPES)) {
            return Reply.of(403, Map.of("errors", List.of(Map.of("field", "", "message", "access forbidden"))));
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CREATE -> create(r);
            case LIST -> Reply.of(200, Map.of("result", keys.active().stream()
                    .limit(Integer.parseInt(r.query().getOrDefault("limit", "100")))
                    .map(k -> Map.of("name", k.name(), "api_key_id", k.id())).toList()));
            case REVOKE -> keys.revoke(id) ? Reply.noContent() : notFound();
            case GET_KEY -> keys.active(id).map(k -> Reply.of(200, Map.of("name", k.name(), "api_key_id", k.id(),
                    "scopes", k.scopes() == null ? ALL_SCOPES : k.scopes()))).orElseGet(SendGridTestServer::notFound);
            default -> notFound();
        };
    }

    @SuppressWarnings("unchecked")
    private Reply create(Request r) {
        Map<String, Object> body = r.json();
        if (!(body.get("name") instanceof String name) || name.isBlank()) {
            return Reply.of(400, Map.of("errors", List.of(Map.of("field", "name", "message", "missing required argument"))));
        }
        if (keys.active().size() >= MAX_KEYS) {
            return Reply.of(403, Map.of("errors", List.of(Map.of("field", "", "message", "cannot exceed 100 API keys"))));
        }
        List<String> scopes = body.get("scopes") instanceof List<?> l ? (List<String>) l : null;
        ApiKeys.Key key = mint(name, scopes, delay());
        return Reply.of(201, Map.of("api_key", key.secret(), "api_key_id", key.id(), "name", key.name(),
                "scopes", scopes == null ? ALL_SCOPES : scopes));
    }

    private static Reply notFound() {
        return Reply.of(404, Map.of("errors", List.of(Map.of("field", "", "message", "unable to find API Key"))));
    }
}
