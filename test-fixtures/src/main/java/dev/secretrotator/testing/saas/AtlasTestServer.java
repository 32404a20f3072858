package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MongoDB Atlas service-account secrets: the Atlas Admin API v2 and its OAuth token endpoint on
 * one loopback port. One organization with two service accounts: the ADMIN one (Organization
 * Owner) and the ROTATED one (role {@code ORG_READ_ONLY}), whose secrets are rotated.
 *
 * <p>Token: {@code POST /api/oauth/token}, HTTP Basic {@code clientId:clientSecret}, form
 * {@code grant_type=client_credentials} → 200 {@code {access_token, expires_in: 3600, token_type:
 * Bearer}} (valid one hour by the server clock, still valid after its secret is deleted). A wrong,
 * deleted, expired or not yet propagated secret, or no Basic header: 401 {@code {"error":
 * "invalid_client", "error_description": "Invalid client credentials"}} (wording unverified against
 * the live service); another grant type 400 {@code unsupported_grant_type}.
 *
 * <p>Admin API: every {@code /api/atlas/v2} request needs {@code Authorization: Bearer} of such a
 * token, else 401 {@code {detail, error: 401, errorCode: UNAUTHORIZED, parameters: [], reason:
 * Unauthorized}}; then a versioned {@code Accept} ({@code application/vnd.atlas.<date>+json}), else
 * 406 {@code INVALID_VERSION_DATE}; the rotated account's own token gets 403
 * {@code USER_UNAUTHORIZED}. An org or client id other than the rotated account's: 404
 * {@code RESOURCE_NOT_FOUND}.
 * <ul>
 * <li>{@code POST /api/atlas/v2/orgs/{orgId}/serviceAccounts/{clientId}/secrets
 * {"secretExpiresAfterHours": 8..8760}} → 201 {@code {id (24 hex), secret (mdb_sa_sk_…, shown
 * once), createdAt, expiresAt, lastUsedAt: null, maskedSecretValue}}; a missing or out-of-range
 * value 400 {@code INVALID_ATTRIBUTE}. At most two secrets coexist per service account (expired but
 * not deleted ones count): a third 400 {@code SERVICE_ACCOUNT_SECRET_LIMIT_EXCEEDED} (the code name
 * is unverified against the live API).</li>
 * <li>{@code DELETE …/serviceAccounts/{clientId}/secrets/{secretId}} → 204, refused at once;
 * an unknown or already deleted secret 404 {@code RESOURCE_NOT_FOUND}.</li>
 * <li>{@code GET …/serviceAccounts/{clientId}} → 200 {@code {clientId, name, description, createdAt,
 * roles, secrets: [{id, createdAt, expiresAt, lastUsedAt, maskedSecretValue}]}}.</li>
 * </ul>
 * A secret past its expiresAt (server clock) no longer authenticates. Unverified: whether Atlas
 * checks the Accept header before or after the token, and the error details' wording. The admin
 * account's own secret never expires here and does not count toward the rotated account's limit.
 */
public final class AtlasTestServer extends SaasTestServer {
    private static final String ADMIN = "admin";
    private static final String API = "/api/atlas/v2/orgs/([^/]+)/serviceAccounts/([^/]+)";
    private static final Pattern ACCOUNT = Pattern.compile(API);
    private static final Pattern SECRETS = Pattern.compile(API + "/secrets");
    private static final Pattern SECRET = Pattern.compile(API + "/secrets/([^/]+)");

    /** Which service account a secret belongs to, and until when it authenticates. */
    private record Owner(String clientId, Instant expiresAt) {}

    private final String orgId = ApiKeys.hex(24);
    private final String clientId = "mdb_sa_id_" + ApiKeys.hex(24);
    private final String adminClientId = "mdb_sa_id_" + ApiKeys.hex(24);
    private final Instant accountCreatedAt;
    private final AccessTokens tokens;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private volatile ApiKeys.Key admin;

    public AtlasTestServer(Clock clock) {
        super("atlas", clock);
        this.accountCreatedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.tokens = new AccessTokens(clock, "");
        reset();
    }

    @Override
    protected void seedAdmin() {
        owners.clear();
        tokens.clear();
        admin = keys.mint(ApiKeys.hex(24), "admin service account secret", secret(), Duration.ZERO, null);
        owners.put(admin.id(), new Owner(adminClientId, Instant.MAX));
    }

    /** A secret of the rotated service account made in the Atlas UI: valid at once, expiring in 365 days. */
    @Override
    public ApiKeys.Key seedKey(String name) {
        ApiKeys.Key key = keys.mint(ApiKeys.hex(24), name, secret(), Duration.ZERO, null);
        owners.put(key.id(), new Owner(clientId, key.createdAt().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(365))));
        return key;
    }

    public Instant expiresAt(String secretId) {
        return owners.get(secretId).expiresAt();
    }

    /** The existing (not deleted) secrets of the rotated service account, expired ones included. */
    public int secretCount() {
        return rotatedSecrets().size();
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("clientId", adminClientId, "clientSecret", admin.secret());
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("orgId", orgId, "clientId", clientId);
    }

    @Override
    protected boolean writesNulls() {
        return true;
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/api/oauth/token").header("X-Consumer", "1")
                .header("Authorization", AccessTokens.basicHeader(secret.get("clientId"), secret.get("apiKey")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
    }

    @Override
    protected Operation route(Request r) {
        String p = r.path();
        String m = r.method();
        if (p.equals("/api/oauth/token") && m.equals("POST")) {
            String[] basic = AccessTokens.basic(r.header("Authorization"));
            return "1".equals(r.header("X-Consumer")) ? Operation.CONSUME
                    : basic != null && basic[0].equals(adminClientId) ? Operation.TOKEN : Operation.VERIFY;
        }
        if (ACCOUNT.matcher(p).matches() && m.equals("GET")) {
            return Operation.GET_KEY;
        }
        if (SECRETS.matcher(p).matches() && m.equals("POST")) {
            return Operation.CREATE;
        }
        return SECRET.matcher(p).matches() && m.equals("DELETE") ? Operation.REVOKE : null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        if (operation == Operation.TOKEN || operation == Operation.VERIFY || operation == Operation.CONSUME) {
            if (operation != Operation.CONSUME) {
                return rotatorsToken(token(r));
            }
            return token(r);
        }
        Optional<String> caller = tokens.principal(r.header("Authorization"));
        if (caller.isEmpty()) {
            return error(401, "UNAUTHORIZED", "Unauthorized", "Current user is not authorized to perform this action.");
        }
        String accept = r.header("Accept");
        if (accept == null || !accept.contains("application/vnd.atlas.")) {
            return error(406, "INVALID_VERSION_DATE", "Not Acceptable", "The request has an invalid accept header or"
                    + " version date: expected application/vnd.atlas.YYYY-MM-DD+json.");
        }
        if (!caller.get().equals(ADMIN)) {
            return error(403, "USER_UNAUTHORIZED", "Forbidden", "Current user is not authorized to perform this action.");
        }
        Matcher m = (operation == Operation.GET_KEY ? ACCOUNT : operation == Operation.CREATE ? SECRETS : SECRET).matcher(r.path());
        if (!m.matches() || !m.group(1).equals(orgId) || !m.group(2).equals(clientId)) {
            return error(404, "RESOURCE_NOT_FOUND", "Not Found", "Cannot find resource " + r.path() + ".");
        }
        return switch (operation) {
            case CREATE -> create(r);
            case REVOKE -> {
                String id = m.group(3);
                yield owners.containsKey(id) && clientId.equals(owners.get(id).clientId()) && keys.revoke(id)
                        ? Reply.noContent()
                        : error(404, "RESOURCE_NOT_FOUND", "Not Found", "Cannot find resource secret " + id + ".");
            }
            case GET_KEY -> {
                Map<String, Object> account = new LinkedHashMap<>();
                account.put("clientId", clientId);
                account.put("name", "app");
                account.put("description", "the rotated service account");
                account.put("createdAt", accountCreatedAt.toString());
                account.put("roles", List.of("ORG_READ_ONLY"));
                account.put("secrets", rotatedSecrets().stream().map(k -> describe(k, false)).toList());
                yield Reply.of(200, account);
            }
            default -> error(404, "RESOURCE_NOT_FOUND", "Not Found", "Cannot find resource " + r.path() + ".");
        };
    }

    private Reply token(Request r) {
        String[] basic = AccessTokens.basic(r.header("Authorization"));
        if (basic == null) {
            return Reply.of(401, Map.of("error", "invalid_client", "error_description", "Invalid client credentials"));
        }
        if (!"client_credentials".equals(r.form().get("grant_type"))) {
            return Reply.of(400, Map.of("error", "unsupported_grant_type", "error_description", "Unsupported grant type"));
        }
        Instant now = clock.instant();
        Optional<ApiKeys.Key> key = keys.authenticate(basic[1]).filter(k -> owners.containsKey(k.id())
                && owners.get(k.id()).clientId().equals(basic[0]) && now.isBefore(owners.get(k.id()).expiresAt()));
        if (key.isEmpty()) {
            return Reply.of(401, Map.of("error", "invalid_client", "error_description", "Invalid client credentials"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue(key.get() == admin ? ADMIN : key.get().id()));
        body.put("expires_in", 3600);
        body.put("token_type", "Bearer");
        return Reply.of(200, body);
    }

    private Reply create(Request r) {
        Object hours = r.json().get("secretExpiresAfterHours");
        if (!(hours instanceof Integer || hours instanceof Long) || ((Number) hours).longValue() < 8
                || ((Number) hours).longValue() > 8760) {
            return error(400, "INVALID_ATTRIBUTE", "Bad Request", "Invalid attribute secretExpiresAfterHours specified:"
                    + " an integer from 8 to 8760 is required.");
        }
        if (rotatedSecrets().size() >= 2) {
            return error(400, "SERVICE_ACCOUNT_SECRET_LIMIT_EXCEEDED", "Bad Request",
                    "A service account can have at most 2 secrets.");
        }
        ApiKeys.Key key = keys.mint(ApiKeys.hex(24), "", secret(), delay(), null);
        owners.put(key.id(), new Owner(clientId,
                key.createdAt().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(((Number) hours).longValue()))));
        return Reply.of(201, describe(key, true));
    }

    private List<ApiKeys.Key> rotatedSecrets() {
        return keys.active().stream().filter(k -> owners.containsKey(k.id()) && clientId.equals(owners.get(k.id()).clientId()))
                .sorted(Comparator.comparing(ApiKeys.Key::createdAt)).toList();
    }

    private Map<String, Object> describe(ApiKeys.Key key, boolean withSecret) {
        String value = key.secret();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        if (withSecret) {
            json.put("secret", value);
        }
        json.put("createdAt", key.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("expiresAt", owners.get(key.id()).expiresAt().toString());
        json.put("lastUsedAt", key.lastUsedAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
        json.put("maskedSecretValue", "mdb_sa_sk_..." + value.substring(value.length() - 4));
        return json;
    }

    private static String secret() {
        return "mdb_sa_sk_" + ApiKeys.random(40);
    }

    private static Reply error(int status, String code, String reason, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        body.put("error", status);
        body.put("errorCode", code);
        body.put("parameters", List.of());
        body.put("reason", reason);
        return Reply.of(status, body);
    }
}
