package dev.secretrotator.testing.saas;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Okta client secrets of one OIDC service app (Management API, Client Secret lifecycle) and one custom
 * authorization server's token endpoint, on one loopback port. For OIDC apps the app id is the client id.
 * <ul>
 * <li>{@code POST /api/v1/apps/{appId}/credentials/secrets} (body optional; a given {@code client_secret} or
 * {@code status} is ignored: the server always generates an ACTIVE secret) → 201 {@code {id: "ocs…", status,
 * client_secret, secret_hash, created, lastUpdated, _links}}; {@code client_secret} is shown only here.</li>
 * <li>{@code GET …/credentials/secrets} → 200 array (without {@code client_secret}); {@code GET …/secrets/{id}}
 * → 200 one secret, 404 {@code E0000007} for an unknown or deleted one.</li>
 * <li>{@code POST …/secrets/{id}/lifecycle/deactivate} → 200 INACTIVE (idempotent), {@code …/activate} → 200
 * ACTIVE; deactivating the app's only ACTIVE secret → 400 {@code E0000001}.</li>
 * <li>{@code DELETE …/secrets/{id}} → 204 for an INACTIVE secret, at once; an ACTIVE one → 400 {@code E0000001}
 * (deactivate first); unknown → 404 {@code E0000007}.</li>
 * <li>At most two client secrets per app, active or inactive: a third → 400 {@code E0000001}.</li>
 * <li>{@code POST /oauth2/{authorizationServerId}/v1/token}, {@code grant_type=client_credentials&scope=…},
 * client auth {@code client_secret_basic} or {@code client_secret_post} (both at once: 400
 * {@code invalid_request}) → 200 {@code {token_type, expires_in: 3600, access_token, scope}}; a wrong,
 * inactive, deleted or not yet propagated secret → 401 {@code invalid_client}; unknown authorization server
 * → 404 {@code E0000007}; a missing scope or one outside {@code {"rotator.check"}} → 400
 * {@code invalid_scope}.</li>
 * </ul>
 * Management auth: {@code Authorization: SSWS <apiToken>} only (Okta's OAuth-for-Okta management tokens are
 * not played); missing or invalid → 401 {@code E0000011}; an access token of the rotated app as
 * {@code Bearer} → 403 {@code E0000006}. Unverified against a live Okta org: the error summaries of the
 * two-secret limit, of deactivating the last active secret and of deleting an active secret; the
 * {@code invalid_scope} descriptions; whether deactivating an inactive secret is really idempotent.
 * {@link #rejectedStatus()} is the inherited 401. Access tokens stay valid for their hour after their secret is
 * deactivated or deleted.
 */
public final class OktaTestServer extends SaasTestServer {
    static final Set<String> SCOPES = Set.of("rotator.check");
    static final int MAX_SECRETS = 2;
    private static final Pattern SECRETS =
            Pattern.compile("/api/v1/apps/([^/]+)/credentials/secrets(?:/([^/]+)(/lifecycle/(activate|deactivate))?)?");
    private static final Pattern TOKEN = Pattern.compile("/oauth2/([^/]+)/v1/token");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Map<String, Object> INVALID_CLIENT = Map.of("error", "invalid_client",
            "error_description", "The client secret supplied for a confidential client is invalid.");


    private final String clientId = "0oa" + ApiKeys.random(17);
    private final String authorizationServerId = "aus" + ApiKeys.random(17);
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Set<String> inactive = ConcurrentHashMap.newKeySet();
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUpdated = new ConcurrentHashMap<>(); // of a secret's status
    private final AccessTokens tokens;
    private volatile ApiKeys.Key apiToken;

    public OktaTestServer(Clock clock) {
        super("okta", clock);
        this.tokens = new AccessTokens(clock, "");
        reset();
    }

    @Override
    protected synchronized void seedAdmin() {
        secrets.clear();
        inactive.clear();
        hashes.clear();
        lastUpdated.clear();
        tokens.clear();
        apiToken = keys.mint("00-admin-api-token", "super admin's API token", "00" + ApiKeys.random(40), Duration.ZERO, null);
    }

    /** An ACTIVE client secret generated in the Admin Console: valid at once. */
    @Override
    public synchronized ApiKeys.Key seedKey(String name) {
        if (secretCount() >= MAX_SECRETS) {
            throw new IllegalStateException("Okta allows at most two client secrets per app");
        }
        return mint(name, Duration.ZERO);
    }

    /** "ACTIVE", "INACTIVE" or "DELETED". */
    public String status(String secretId) {
        if (!secrets.contains(secretId)) {
            throw new IllegalArgumentException("no such client secret");
        }
        return keys.active(secretId).isEmpty() ? "DELETED" : inactive.contains(secretId) ? "INACTIVE" : "ACTIVE";
    }

    /** Client secrets that exist (active or inactive, not deleted). */
    public int secretCount() {
        return (int) secrets.stream().filter(id -> keys.active(id).isPresent()).count();
    }

    /** Re-activates a secret as an admin would in the Admin Console. */
    public synchronized void activate(String secretId) {
        if ("DELETED".equals(status(secretId))) {
            throw new IllegalStateException("client secret deleted");
        }
        inactive.remove(secretId);
        lastUpdated.put(secretId, clock.instant());
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("apiToken", apiToken.secret());
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("clientId", clientId, "authorizationServerId", authorizationServerId, "scope", "rotator.check");
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        String basic = Base64.getEncoder().encodeToString((secret.get("clientId") + ":" + secret.get("apiKey")).getBytes(StandardCharsets.UTF_8));
        return request("/oauth2/" + secret.getOrDefault("authorizationServerId", authorizationServerId) + "/v1/token")
                .header("Authorization", "Basic " + basic).header("X-Consumer", "1")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode(String.valueOf(secret.getOrDefault("scope", "rotator.check")), StandardCharsets.UTF_8)));
    }

    @Override
    protected Operation route(Request r) {
        if (TOKEN.matcher(r.path()).matches()) {
            return !r.method().equals("POST") ? null : "1".equals(r.header("X-Consumer")) ? Operation.CONSUME : Operation.VERIFY;
        }
        Matcher m = SECRETS.matcher(r.path());
        if (!m.matches()) {
            return null;
        }
        String method = r.method();
        if (m.group(2) == null) {
            return method.equals("POST") ? Operation.CREATE : method.equals("GET") ? Operation.LIST : null;
        }
        if (m.group(3) != null) {
            return method.equals("POST") ? Operation.DEACTIVATE : null;
        }
        return method.equals("GET") ? Operation.GET_KEY : method.equals("DELETE") ? Operation.REVOKE : null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        if (operation == Operation.VERIFY || operation == Operation.CONSUME) {
            if (operation != Operation.CONSUME) {
                return rotatorsToken(token(r));
            }
            return token(r);
        }
        String auth = r.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            return tokens.principal(auth).isPresent()
                    ? error(403, "E0000006", "You do not have permission to perform the requested action")
                    : error(401, "E0000011", "Invalid token provided");
        }
        if (auth == null || !auth.startsWith("SSWS ") || keys.authenticate(auth.substring(5)).filter(k -> k == apiToken).isEmpty()) {
            return error(401, "E0000011", "Invalid token provided");
        }
        Matcher m = SECRETS.matcher(r.path());
        m.matches();
        if (!m.group(1).equals(clientId)) {
            return error(404, "E0000007", "Not found: Resource not found: " + m.group(1) + " (AppInstance)");
        }
        String id = m.group(2);
        if (id != null && (!secrets.contains(id) || keys.active(id).isEmpty())) {
            return error(404, "E0000007", "Not found: Resource not found: " + id + " (ClientSecret)");
        }
        synchronized (this) {
            return switch (operation) {
                case CREATE -> create(r);
                case LIST -> Reply.of(200, secrets.stream().map(keys::active).flatMap(java.util.Optional::stream)
                        .sorted(Comparator.comparing(ApiKeys.Key::createdAt).thenComparing(ApiKeys.Key::id))
                        .map(k -> describe(k, false)).toList());
                case GET_KEY -> Reply.of(200, describe(key(id), false));
                case DEACTIVATE -> lifecycle(id, m.group(4).equals("activate"));
                case REVOKE -> {
                    if (!inactive.contains(id)) {
                        yield validation("Api validation failed: Cannot delete an active client secret",
                                "Deactivate the client secret before deleting it.");
                    }
                    keys.revoke(id);
                    yield Reply.noContent();
                }
                default -> error(404, "E0000007", "Not found: Resource not found");
            };
        }
    }

    private Reply create(Request r) {
        if (secretCount() >= MAX_SECRETS) {
            return validation("Api validation failed: Maximum number of client secrets reached",
                    "You can't have more than two client secrets per app.");
        }
        return Reply.of(201, describe(mint("client secret", delay()), true));
    }

    private Reply lifecycle(String id, boolean activate) {
        boolean wasActive = !inactive.contains(id);
        if (!activate && wasActive && secrets.stream().filter(s -> keys.active(s).isPresent() && !inactive.contains(s)).count() <= 1) {
            return validation("Api validation failed: Cannot deactivate the only active client secret",
                    "You must have at least one active client secret.");
        }
        if (activate != wasActive) { // else nothing changes (idempotent)
            if (activate) {
                inactive.remove(id);
            } else {
                inactive.add(id);
            }
            lastUpdated.put(id, clock.instant());
        }
        return Reply.of(200, describe(key(id), false));
    }

    private Reply token(Request r) {
        Matcher m = TOKEN.matcher(r.path());
        m.matches();
        if (!m.group(1).equals(authorizationServerId)) {
            return error(404, "E0000007", "Not found: Resource not found: " + m.group(1) + " (AuthorizationServer)");
        }
        Map<String, String> form = r.form();
        String auth = r.header("Authorization");
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (auth != null && auth.startsWith("Basic ")) {
            if (secret != null) {
                return Reply.of(400, Map.of("error", "invalid_request", "error_description", "Cannot supply multiple client"
                        + " credentials. Use one of the following: credentials in the Authorization header, credentials in"
                        + " the post body, or a client_assertion in the post body."));
            }
            String decoded = new String(Base64.getMimeDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            id = colon < 0 ? decoded : decoded.substring(0, colon);
            secret = colon < 0 ? null : decoded.substring(colon + 1);
        }
        if (!clientId.equals(id)) {
            return Reply.of(401, Map.of("error", "invalid_client", "error_description", "Invalid value for 'client_id' parameter."));
        }
        var key = keys.authenticate(secret).filter(k -> secrets.contains(k.id()) && !inactive.contains(k.id()));
        if (key.isEmpty()) {
            return Reply.of(401, INVALID_CLIENT);
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return Reply.of(400, Map.of("error", "unsupported_grant_type", "error_description",
                    "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials]."));
        }
        String scope = form.getOrDefault("scope", "").trim();
        if (scope.isEmpty()) {
            return Reply.of(400, Map.of("error", "invalid_scope", "error_description",
                    "The authorization server resource does not have any configured default scopes, 'scope' must be provided."));
        }
        List<String> refused = Arrays.stream(scope.split("\\s+")).filter(s -> !SCOPES.contains(s)).toList();
        if (!refused.isEmpty()) {
            return Reply.of(400, Map.of("error", "invalid_scope", "error_description",
                    "The following scopes are not allowed: " + String.join(", ", refused)));
        }
        String accessToken = tokens.issue(key.get().id());
        return Reply.of(200, Map.of("token_type", "Bearer", "expires_in", 3600, "access_token", accessToken, "scope", scope));
    }

    private ApiKeys.Key mint(String name, Duration propagation) {
        ApiKeys.Key key = keys.mint("ocs" + ApiKeys.random(17), name, ApiKeys.random(40), propagation, null);
        secrets.add(key.id());
        hashes.put(key.id(), ApiKeys.random(22));
        lastUpdated.put(key.id(), key.createdAt());
        return key;
    }

    private Map<String, Object> describe(ApiKeys.Key key, boolean withSecret) {
        boolean active = !inactive.contains(key.id());
        String self = url() + "/api/v1/apps/" + clientId + "/credentials/secrets/" + key.id();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put(active ? "deactivate" : "activate", Map.of("href", self + "/lifecycle/" + (active ? "deactivate" : "activate"),
                "hints", Map.of("allow", List.of("POST"))));
        if (!active) {
            links.put("delete", Map.of("href", self, "hints", Map.of("allow", List.of("DELETE"))));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("status", active ? "ACTIVE" : "INACTIVE");
        if (withSecret) {
            json.put("client_secret", key.secret());
        }
        json.put("secret_hash", hashes.get(key.id()));
        json.put("created", ISO.format(key.createdAt()));
        json.put("lastUpdated", ISO.format(lastUpdated.get(key.id())));
        json.put("_links", links);
        return json;
    }

    private static Reply validation(String summary, String cause) {
        return error(400, "E0000001", summary, Map.of("errorSummary", cause));
    }

    /** @param causes each a {@code {"errorSummary": …}} map */
    private static Reply error(int status, String code, String summary, Object... causes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("errorCode", code);
        json.put("errorSummary", summary);
        json.put("errorLink", code);
        json.put("errorId", "oae" + ApiKeys.random(22));
        json.put("errorCauses", List.of(causes));
        return Reply.of(status, json);
    }
}
