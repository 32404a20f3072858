package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Databricks personal access tokens of one workspace user (Token API 2.0), as documented:
 * {@code POST /api/2.0/token/create {comment?, lifetime_seconds?}} → 200 {@code {token_value,
 * token_info: {token_id, creation_time, expiry_time, comment}}} (times in epoch ms, -1: never);
 * {@code GET /api/2.0/token/list} → {@code {token_infos}}, the caller's tokens;
 * {@code POST /api/2.0/token/delete {token_id}} → 200 {@code {}}, at once, and 404
 * {@code RESOURCE_DOES_NOT_EXIST} for a token that is not (or no longer) the caller's. A token
 * manages the tokens of its own user; at most 600 tokens per user ({@code QUOTA_EXCEEDED}).
 * {@code GET /api/2.0/preview/scim/v2/Me} describes the caller. An invalid, deleted, expired or
 * not yet propagated token gets 403 {@code {"error_code": 403, "message": "Invalid access token."}}.
 */
public final class DatabricksTestServer extends SaasTestServer {
    static final int QUOTA = 600;
    private static final Map<String, Object> INVALID = Map.of("error_code", 403, "message", "Invalid access token.");

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Map<String, String> comments = new ConcurrentHashMap<>();

    public DatabricksTestServer(Clock clock) {
        super("databricks", clock);
        reset();
    }

    @Override
    protected void seedAdmin() {
        expiries.clear();
        comments.clear(); // no admin: each token manages its own user's tokens
    }

    /** A token made in User Settings, valid 90 days. */
    @Override
    public ApiKeys.Key seedKey(String name) {
        ApiKeys.Key key = keys.mint(ApiKeys.hex(64), name, "dapi" + ApiKeys.hex(32), Duration.ZERO, null);
        expiries.put(key.id(), clock.instant().plus(Duration.ofDays(90)));
        comments.put(key.id(), name);
        return key;
    }

    public Optional<Instant> expiry(String tokenId) {
        return Optional.ofNullable(expiries.get(tokenId));
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of();
    }

    @Override
    public int rejectedStatus() {
        return 403;
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/api/2.1/jobs/list?limit=1").header("Authorization", "Bearer " + secret.get("apiKey")).GET();
    }

    @Override
    protected Operation route(Request r) {
        return switch (r.method() + " " + r.path()) {
            case "GET /api/2.0/preview/scim/v2/Me" -> Operation.VERIFY;
            case "GET /api/2.1/jobs/list" -> Operation.CONSUME;
            case "POST /api/2.0/token/create" -> Operation.CREATE;
            case "GET /api/2.0/token/list" -> Operation.LIST;
            case "POST /api/2.0/token/delete" -> Operation.REVOKE;
            default -> null;
        };
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        String auth = r.header("Authorization");
        Optional<ApiKeys.Key> caller = auth != null && auth.startsWith("Bearer ") ? keys.authenticate(auth.substring(7))
                .filter(k -> !expiries.containsKey(k.id()) || clock.instant().isBefore(expiries.get(k.id()))) : Optional.empty();
        if (caller.isEmpty()) {
            return Reply.of(403, INVALID);
        }
        return switch (operation) {
            case VERIFY -> Reply.of(200, Map.of("id", "7000", "userName", "etl@example.com", "active", true,
                    "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User")));
            case CONSUME -> Reply.of(200, Map.of("jobs", List.of(), "has_more", false));
            case CREATE -> create(r);
            case LIST -> Reply.of(200, Map.of("token_infos", keys.active().stream().map(this::info).toList()));
            case REVOKE -> {
                Object id = r.json().get("token_id");
                yield id instanceof String s && keys.revoke(s) ? Reply.of(200, Map.of())
                        : Reply.of(404, Map.of("error_code", "RESOURCE_DOES_NOT_EXIST", "message", "Token with ID " + id + " does not exist."));
            }
            default -> Reply.of(404, Map.of("error_code", "ENDPOINT_NOT_FOUND", "message", "No API found"));
        };
    }

    private Reply create(Request r) {
        if (keys.active().size() >= QUOTA) {
            return Reply.of(400, Map.of("error_code", "QUOTA_EXCEEDED", "message", "Token quota exceeded."));
        }
        Map<String, Object> body = r.json();
        String comment = body.get("comment") instanceof String c ? c : "";
        ApiKeys.Key key = keys.mint(ApiKeys.hex(64), comment, "dapi" + ApiKeys.hex(32), delay(), null);
        if (body.get("lifetime_seconds") instanceof Number n && n.longValue() > 0) {
            expiries.put(key.id(), clock.instant().plusSeconds(n.longValue()));
        }
        comments.put(key.id(), comment);
        return Reply.of(200, Map.of("token_value", key.secret(), "token_info", info(key)));
    }

    private Map<String, Object> info(ApiKeys.Key key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token_id", key.id());
        json.put("creation_time", key.createdAt().toEpochMilli());
        json.put("expiry_time", Optional.ofNullable(expiries.get(key.id())).map(Instant::toEpochMilli).orElse(-1L));
        json.put("comment", comments.getOrDefault(key.id(), key.name()));
        return json;
    }
}
