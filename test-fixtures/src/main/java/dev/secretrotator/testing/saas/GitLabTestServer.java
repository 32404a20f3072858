package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitLab's project (or group) access tokens, API v4, as documented:
 * {@code POST /api/v4/projects/:id/access_tokens {name, scopes, access_level, expires_at}} → 201
 * with the token's attributes and {@code token} (shown once); {@code GET …/access_tokens}
 * (both states unless {@code state=active|inactive}; {@code search} by name) and
 * {@code GET …/access_tokens/:token_id} (a revoked token is still described, {@code active:
 * false}); {@code DELETE …/access_tokens/:token_id} → 204, revoking at once (404 for an unknown
 * or already revoked token: unverified against a live GitLab). {@code GET
 * /api/v4/personal_access_tokens/self} describes the token that authenticates it (project and
 * group tokens are tokens of bot users). Groups: the same under {@code /api/v4/groups/:id}.
 * Any number of tokens coexist. Auth header {@code PRIVATE-TOKEN}; 401 {@code {"message": "401
 * Unauthorized"}} for a revoked, expired, unknown or not yet propagated token. Management needs
 * the admin token (a Maintainer's, or a group Owner's, personal access token with {@code api}).
 * {@code expires_at} is required, a date after today and at most 365 days ahead; a token is
 * valid until the start of that day (UTC). Project tokens' access level is at most 40, groups' 50.
 * The {@code rotate} endpoint is not played: the rotator does not use it.
 */
public final class GitLabTestServer extends SaasTestServer {
    private static final Set<String> SCOPES = Set.of("api", "read_api", "read_repository", "write_repository",
            "read_registry", "write_registry", "create_runner", "manage_runner", "ai_features", "k8s_proxy", "self_rotate");
    private static final Map<String, Object> UNAUTHORIZED = Map.of("message", "401 Unauthorized");

    /** What GitLab keeps about a token beside its value. */
    private record Meta(String resource, int accessLevel, LocalDate expiresAt) {}

    private final boolean group;
    private final String resourceId;
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(100);
    private volatile ApiKeys.Key admin;

    /** @param group whether to play group access tokens (else project access tokens) */
    public GitLabTestServer(Clock clock, boolean group) {
        super(group ? "gitlab-group" : "gitlab-project", clock);
        this.group = group;
        this.resourceId = group ? "7" : "42";
        reset();
    }

    private String base() {
        return "/api/v4/" + (group ? "groups/" : "projects/") + resourceId;
    }

    @Override
    protected void seedAdmin() {
        meta.clear();
        admin = keys.mint("1", "maintainer's personal access token", "glpat-" + ApiKeys.random(20), Duration.ZERO, List.of("api"));
    }

    /** A token made in the UI: scopes {@code api, read_repository}, Developer (30), expiring in 30 days. */
    @Override
    public ApiKeys.Key seedKey(String name) {
        return seedKey(name, List.of("read_api", "read_repository"), 30, today().plusDays(30));
    }

    public ApiKeys.Key seedKey(String name, List<String> scopes, int accessLevel, LocalDate expiresAt) {
        ApiKeys.Key key = keys.mint(String.valueOf(ids.incrementAndGet()), name, "glpat-" + ApiKeys.random(20), Duration.ZERO, scopes);
        meta.put(key.id(), new Meta(resourceId, accessLevel, expiresAt));
        return key;
    }

    public int accessLevel(String tokenId) {
        return meta.get(tokenId).accessLevel();
    }

    public LocalDate expiresAt(String tokenId) {
        return meta.get(tokenId).expiresAt();
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiKey", admin.secret());
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of(group ? "groupId" : "projectId", resourceId);
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request(base()).header("PRIVATE-TOKEN", String.valueOf(secret.get("apiKey"))).GET();
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path();
        if (p.equals("/api/v4/personal_access_tokens/self") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals(base()) && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (p.equals(base() + "/access_tokens")) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.matches(java.util.regex.Pattern.quote(base() + "/access_tokens/") + "\\d+")) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        Optional<ApiKeys.Key> caller = authenticate(r.header("PRIVATE-TOKEN"));
        if (caller.isEmpty()) {
            return Reply.of(401, UNAUTHORIZED);
        }
        if (operation == Operation.VERIFY) {
            Map<String, Object> self = describe(caller.get(), false);
            self.remove("access_level"); // the self endpoint does not tell it
            return Reply.of(200, self);
        }
        if (operation == Operation.CONSUME) {
            return Reply.of(200, Map.of("id", Integer.parseInt(resourceId), "name", "app"));
        }
        if (caller.get() != admin) {
            return Reply.of(403, Map.of("message", "403 Forbidden"));
        }
        String id = r.path().substring(r.path().lastIndexOf('/') + 1);
        return switch (operation) {
            case CREATE -> create(r);
            case LIST -> {
                String state = r.query().get("state");
                String search = r.query().getOrDefault("search", "");
                int perPage = Math.min(100, Integer.parseInt(r.query().getOrDefault("per_page", "20")));
                yield Reply.of(200, keys.all().stream().filter(k -> meta.containsKey(k.id()))
                        .filter(k -> state == null || state.equals(k.revoked() ? "inactive" : "active"))
                        .filter(k -> k.name().contains(search))
                        .sorted(java.util.Comparator.comparing(ApiKeys.Key::createdAt))
                        .limit(perPage).map(k -> describe(k, false)).toList());
            }
            case GET_KEY -> meta.containsKey(id) ? Reply.of(200, describe(key(id), false)) : notFound();
            case REVOKE -> meta.containsKey(id) && keys.revoke(id) ? Reply.noContent() : notFound();
            default -> notFound();
        };
    }

    private Reply create(Request r) {
        Map<String, Object> body = r.json();
        if (!(body.get("name") instanceof String name) || name.isBlank()) {
            return Reply.of(400, Map.of("error", "name is missing"));
        }
        if (!(body.get("scopes") instanceof List<?> scopes) || scopes.isEmpty()) {
            return Reply.of(400, Map.of("error", "scopes is missing"));
        }
        if (!scopes.stream().allMatch(SCOPES::contains)) {
            return Reply.of(400, Map.of("error", "scopes does not have a valid value"));
        }
        int level = body.get("access_level") instanceof Number n ? n.intValue() : 40;
        if (!Set.of(10, 20, 30, 40, 50).contains(level) || (!group && level > 40)) {
            return Reply.of(400, Map.of("message", "400 Bad request - Access level of the token can't be greater than"
                    + " the access level of the user who created the token"));
        }
        LocalDate expires;
        try {
            expires = LocalDate.parse(String.valueOf(body.get("expires_at")));
        } catch (DateTimeParseException e) {
            return Reply.of(400, Map.of("error", "expires_at is invalid"));
        }
        if (!expires.isAfter(today()) || expires.isAfter(today().plusDays(365))) {
            return Reply.of(400, Map.of("message", Map.of("expires_at",
                    List.of("must be before " + today().plusDays(366) + " and after " + today()))));
        }
        ApiKeys.Key key = keys.mint(String.valueOf(ids.incrementAndGet()), name, "glpat-" + ApiKeys.random(20), delay(),
                scopes.stream().map(String::valueOf).toList());
        meta.put(key.id(), new Meta(resourceId, level, expires));
        return Reply.of(201, describe(key, true));
    }

    /** A valid token: known, not revoked, propagated, not expired. */
    private Optional<ApiKeys.Key> authenticate(String token) {
        Optional<ApiKeys.Key> key = keys.authenticate(token);
        return key.filter(k -> k == admin || meta.containsKey(k.id()) && today().isBefore(meta.get(k.id()).expiresAt()));
    }

    private Map<String, Object> describe(ApiKeys.Key key, boolean withToken) {
        Meta m = meta.get(key.id());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", Integer.parseInt(key.id()));
        json.put("name", key.name());
        json.put("revoked", key.revoked());
        json.put("created_at", key.createdAt().toString());
        json.put("description", null);
        json.put("scopes", key.scopes());
        json.put("user_id", 500);
        json.put("last_used_at", key.lastUsedAt().map(Object::toString).orElse(null));
        json.put("active", !key.revoked() && (m == null || today().isBefore(m.expiresAt())));
        json.put("expires_at", m == null ? null : m.expiresAt().toString());
        if (m != null) {
            json.put("access_level", m.accessLevel());
        }
        if (withToken) {
            json.put("token", key.secret());
        }
        return json;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Reply notFound() {
        return Reply.of(404, Map.of("message", "404 Not Found"));
    }
}
