package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cloudflare's user API tokens (API v4, under {@code /client/v4}), as documented: {@code POST
 * /user/tokens {name, policies, condition?, expires_on?, not_before?}} → 200 with {@code result}
 * holding the token's attributes and {@code value} (shown once); {@code GET /user/tokens}
 * ({@code per_page} up to 50), {@code GET /user/tokens/{id}} (policies with their read-only
 * {@code id}s, {@code condition}, {@code issued_on}, {@code expires_on}, {@code last_used_on}),
 * {@code DELETE /user/tokens/{id}} → 200 {@code {"result": {"id"}}}, at once; {@code GET
 * /user/tokens/verify} with the token → {@code {"result": {"id", "status": "active"}}}. Every
 * answer has the envelope {@code {success, errors, messages, result}}; an invalid, deleted,
 * expired or not yet propagated token gets 401 with error code 1000 "Invalid API Token"; a token
 * without the "API Tokens Write" permission managing tokens gets 403 (code 9109). Any number of
 * tokens coexist. A policy's {@code id} sent back on create is ignored (read-only). Account-owned
 * tokens ({@code /client/v4/accounts/{ACCOUNT}/tokens…}) have the same shapes; here they share
 * one store with the user's tokens.
 */
public final class CloudflareTestServer extends SaasTestServer {
    private static final String BASE = "/client/v4/user/tokens";
    /** The account of account-owned tokens. */
    public static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String ACCOUNT_BASE = "/client/v4/accounts/" + ACCOUNT + "/tokens";

    /** What Cloudflare keeps about a token beside its value. */
    private record Meta(List<Object> policies, Object condition, Instant expiresOn) {}

    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private volatile ApiKeys.Key admin;

    public CloudflareTestServer(Clock clock) {
        super("cloudflare", clock);
        reset();
    }

    @Override
    protected void seedAdmin() {
        meta.clear();
        admin = keys.mint(ApiKeys.hex(32), "Create additional tokens", ApiKeys.random(40), Duration.ZERO, List.of("API Tokens Write"));
    }

    /** A token made in the dashboard: DNS edit on one zone, client IP filter, expiring in 60 days. */
    @Override
    public ApiKeys.Key seedKey(String name) {
        List<Object> policies = List.of(Map.of("id", ApiKeys.hex(32), "effect", "allow",
                "resources", Map.of("com.cloudflare.api.account.zone.eb78d65290b24279ba6f44721b3ea3c4", "*"),
                "permission_groups", List.of(Map.of("id", "4755a26eedb94da69e1066d98aa820be", "name", "DNS Write"))));
        Map<String, Object> condition = Map.of("request_ip", Map.of("in", List.of("192.0.2.0/24"), "not_in", List.of()));
        return seedKey(name, policies, condition, clock.instant().plus(Duration.ofDays(60)));
    }

    public ApiKeys.Key seedKey(String name, List<Object> policies, Object condition, Instant expiresOn) {
        ApiKeys.Key key = keys.mint(ApiKeys.hex(32), name, ApiKeys.random(40), Duration.ZERO, null);
        meta.put(key.id(), new Meta(policies, condition, expiresOn));
        return key;
    }

    /** The policies a token was created with, as stored (without the ids sent back). */
    public List<Object> policies(String tokenId) {
        return meta.get(tokenId).policies();
    }

    public Optional<Instant> expiresOn(String tokenId) {
        return Optional.ofNullable(meta.get(tokenId).expiresOn());
    }

    public Object condition(String tokenId) {
        return meta.get(tokenId).condition();
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiKey", admin.secret());
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/client/v4/zones?per_page=1").header("Authorization", "Bearer " + secret.get("apiKey")).GET();
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path().startsWith(ACCOUNT_BASE) ? BASE + r.path().substring(ACCOUNT_BASE.length()) : r.path();
        if (p.equals(BASE + "/verify") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals("/client/v4/zones") && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (p.equals(BASE)) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.startsWith(BASE + "/") && p.indexOf('/', BASE.length() + 1) < 0) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        String auth = r.header("Authorization");
        Optional<ApiKeys.Key> caller = auth != null && auth.startsWith("Bearer ") ? keys.authenticate(auth.substring(7))
                .filter(k -> k == admin || meta.get(k.id()).expiresOn() == null || clock.instant().isBefore(meta.get(k.id()).expiresOn()))
                : Optional.empty();
        if (caller.isEmpty()) {
            return failure(401, 1000, "Invalid API Token");
        }
        if (operation == Operation.VERIFY) {
            Map<String, Object> result = new LinkedHashMap<>(Map.of("id", caller.get().id(), "status", "active"));
            Optional.ofNullable(meta.get(caller.get().id())).map(Meta::expiresOn).ifPresent(e -> result.put("expires_on", e.toString()));
            return success(result);
        }
        if (operation == Operation.CONSUME) {
            return success(List.of());
        }
        if (caller.get() != admin) {
            return failure(403, 9109, "Unauthorized to access requested resource");
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CREATE -> create(r);
            case LIST -> success(keys.active().stream().filter(k -> meta.containsKey(k.id()))
                    .limit(Math.min(50, Integer.parseInt(r.query().getOrDefault("per_page", "20"))))
                    .map(this::describe).toList());
            case GET_KEY -> keys.active(id).filter(k -> meta.containsKey(id)).map(k -> success(describe(k)))
                    .orElseGet(CloudflareTestServer::notFound);
            case REVOKE -> meta.containsKey(id) && keys.revoke(id) ? success(Map.of("id", id)) : notFound();
            default -> notFound();
        };
    }

    @SuppressWarnings("unchecked")
    private Reply create(Request r) {
        Map<String, Object> body = r.json();
        if (!(body.get("name") instanceof String name) || name.isBlank()) {
            return failure(400, 400, "name is required");
        }
        if (!(body.get("policies") instanceof List<?> policies) || policies.isEmpty()) {
            return failure(400, 400, "policies is required");
        }
        for (Object policy : policies) {
            if (!(policy instanceof Map<?, ?> p) || !List.of("allow", "deny").contains(p.get("effect"))
                    || !(p.get("resources") instanceof Map<?, ?>) || !(p.get("permission_groups") instanceof List<?> g) || g.isEmpty()) {
                return failure(400, 400, "each policy needs effect, resources and permission_groups");
            }
        }
        Instant expiresOn = null;
        if (body.get("expires_on") != null) {
            try {
                expiresOn = Instant.parse(String.valueOf(body.get("expires_on")));
            } catch (DateTimeParseException e) {
                return failure(400, 400, "expires_on must be an RFC 3339 time");
            }
            if (!expiresOn.isAfter(clock.instant())) {
                return failure(400, 400, "expires_on must be in the future");
            }
        }
        List<Object> stored = policies.stream().map(p -> {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) p);
            copy.remove("id"); // read-only
            return (Object) copy;
        }).toList();
        ApiKeys.Key key = keys.mint(ApiKeys.hex(32), name, ApiKeys.random(40), delay(), null);
        meta.put(key.id(), new Meta(stored, body.get("condition"), expiresOn));
        Map<String, Object> result = describe(key);
        result.put("value", key.secret());
        return success(result);
    }

    private Map<String, Object> describe(ApiKeys.Key key) {
        Meta m = meta.get(key.id());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("name", key.name());
        json.put("status", "active");
        json.put("issued_on", key.createdAt().toString());
        json.put("modified_on", key.createdAt().toString());
        json.put("last_used_on", key.lastUsedAt().map(Object::toString).orElse(null));
        json.put("policies", m.policies().stream().map(p -> {
            Map<String, Object> withId = new LinkedHashMap<>(Map.of("id", ApiKeys.hex(32)));
            withId.putAll(cast(p));
            return withId;
        }).toList());
        if (m.condition() != null) {
            json.put("condition", m.condition());
        }
        if (m.expiresOn() != null) {
            json.put("expires_on", m.expiresOn().toString());
        }
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static Reply success(Object result) {
        return Reply.of(200, Map.of("success", true, "errors", List.of(), "messages", List.of(), "result", result));
    }

    private static Reply failure(int status, int code, String message) {
        return Reply.of(status, Map.of("success", false, "errors", List.of(Map.of("code", code, "message", message)),
                "messages", List.of(), "result", Map.of()));
    }

    private static Reply notFound() {
        return failure(404, 7003, "Could not route to /user/tokens: the token does not exist");
    }
}
