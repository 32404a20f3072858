package dev.secretrotator.testing.saas;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Entra ID application client secrets: the identity platform's token endpoint and
 * Microsoft Graph v1.0 application management on one loopback port. One tenant, two applications:
 * the ADMIN app (app role {@code Application.ReadWrite.All}) and the ROTATED app, whose password
 * credentials are rotated. Graph addresses an application by its object id; tokens name it by its
 * appId (client id), a different GUID.
 *
 * <p>Token: {@code POST /{tenantId}/oauth2/v2.0/token}, form {@code grant_type=client_credentials,
 * client_id, client_secret, scope=https://graph.microsoft.com/.default} (the client may instead
 * authenticate with HTTP Basic) → 200 {@code {token_type: Bearer, expires_in: 3599,
 * ext_expires_in: 3599, access_token}} (valid one hour by the server clock, still valid after its
 * secret is removed). Errors (AAD shape {@code {error, error_description, error_codes, timestamp,
 * trace_id, correlation_id}}): unknown tenant 400 {@code invalid_request} AADSTS90002; grant type
 * other than client_credentials 400 {@code unsupported_grant_type} AADSTS70003; no client_id 400
 * {@code invalid_request} AADSTS900144; scope other than Graph's {@code .default} 400
 * {@code invalid_scope} AADSTS1002012; unknown client id 400 {@code unauthorized_client}
 * AADSTS700016; no secret 401 {@code invalid_client} AADSTS7000216; a wrong, removed or not yet
 * propagated secret 401 {@code invalid_client} AADSTS7000215; a secret past its endDateTime 401
 * {@code invalid_client} AADSTS7000222. Error bodies never hold the secret.
 *
 * <p>Graph, {@code Authorization: Bearer} of a token from above: missing, unknown or expired token
 * 401 {@code {"error": {"code": "InvalidAuthenticationToken", ...}}}; the rotated app's own token
 * 403 {@code Authorization_RequestDenied}; an object id other than the rotated app's 404
 * {@code Request_ResourceNotFound}.
 * <ul>
 * <li>{@code POST /v1.0/applications/{objectId}/addPassword {"passwordCredential": {displayName?,
 * startDateTime?, endDateTime?}}} → 200 {@code {customKeyIdentifier: null, displayName,
 * endDateTime, hint (first 3 characters), keyId, secretText (40 characters, shown once),
 * startDateTime}}; endDateTime defaults to two years ahead; one in the past 400 {@code InvalidRequest},
 * an unparsable one 400 {@code BadRequest}; more than two years ahead is accepted (as Graph does
 * for apps without a credential lifetime policy).</li>
 * <li>{@code POST /v1.0/applications/{objectId}/removePassword {"keyId"}} → 204, the secret is
 * refused at once; no keyId 400; an unknown or already removed keyId 404
 * {@code Request_ResourceNotFound} (unverified against live Graph).</li>
 * <li>{@code GET /v1.0/applications/{objectId}} → 200 {@code {id, appId, displayName,
 * passwordCredentials: [...]}} listing the existing secrets (expired ones included) with
 * {@code secretText: null}; with {@code $select=a,b} only the selected properties (and
 * {@code @odata.context}) are returned, as Graph does.</li>
 * </ul>
 * Any number of client secrets coexist (the stand-in enforces no limit). Unverified against the live
 * services: the order in which the token endpoint checks scope, client id and secret; the exact
 * wording of error descriptions; the codes of the 400s on removePassword and on unparsable dates.
 * The admin app's own secret never expires here.
 */
public final class EntraTestServer extends SaasTestServer {
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    /** The Graph scope the token endpoint requires: the global cloud's, or a national cloud's ({@link #scope}). */
    private volatile String graphScope = GRAPH_SCOPE;
    private static final String ADMIN = "admin";
    private static final Pattern TOKEN_PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
    private static final Pattern GRAPH_PATH = Pattern.compile("/v1\\.0/applications/([^/]+)(?:/(addPassword|removePassword))?",
            Pattern.CASE_INSENSITIVE);

    /** A password credential of the rotated app beside its value (kept in {@link #keys}). */
    private record Password(String displayName, Instant start, Instant end) {}

    private final String tenantId = UUID.randomUUID().toString();
    private final String adminClientId = UUID.randomUUID().toString();
    private final String appId = UUID.randomUUID().toString();
    private final String objectId = UUID.randomUUID().toString();
    private final AccessTokens tokens;
    private final Map<String, Password> passwords = new ConcurrentHashMap<>();
    private volatile ApiKeys.Key admin;

    public EntraTestServer(Clock clock) {
        super("entra", clock);
        this.tokens = new AccessTokens(clock, "eyJ0eXAiOiJKV1Qi.");
        reset();
    }

    @Override
    protected void seedAdmin() {
        passwords.clear();
        tokens.clear();
        admin = keys.mint(UUID.randomUUID().toString(), "admin app secret", secretText(), Duration.ZERO, null);
    }

    /** A client secret of the rotated app made in the portal: valid at once, expiring in 180 days. */
    /** Plays a national cloud: token requests must ask for this Graph scope (e.g. https://graph.microsoft.us/.default). */
    public EntraTestServer scope(String scope) {
        this.graphScope = scope;
        return this;
    }

    @Override
    public ApiKeys.Key seedKey(String name) {
        Instant now = clock.instant();
        ApiKeys.Key key = keys.mint(UUID.randomUUID().toString(), name, secretText(), Duration.ZERO, null);
        passwords.put(key.id(), new Password(name, now, now.plus(Duration.ofDays(180))));
        return key;
    }

    /** The stored endDateTime of a password credential (ISO-8601). */
    public String endDateTime(String keyId) {
        return passwords.get(keyId).end().toString();
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("tenantId", tenantId, "clientId", adminClientId, "clientSecret", admin.secret());
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("tenantId", tenantId, "clientId", appId, "applicationObjectId", objectId);
    }

    @Override
    protected boolean writesNulls() {
        return true;
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        String form = "grant_type=client_credentials&client_id=" + enc(secret.get("clientId"))
                + "&client_secret=" + enc(secret.get("apiKey")) + "&scope=" + enc(graphScope);
        return request("/" + secret.get("tenantId") + "/oauth2/v2.0/token").header("X-Consumer", "1")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    @Override
    protected Operation route(Request r) {
        if (r.method().equals("POST") && TOKEN_PATH.matcher(r.path()).matches()) {
            return "1".equals(r.header("X-Consumer")) ? Operation.CONSUME
                    : adminClientId.equals(client(r)[0]) ? Operation.TOKEN : Operation.VERIFY;
        }
        Matcher m = GRAPH_PATH.matcher(r.path());
        if (!m.matches()) {
            return null;
        }
        if (m.group(2) == null) {
            return r.method().equals("GET") ? Operation.LIST : null;
        }
        return !r.method().equals("POST") ? null
                : m.group(2).equalsIgnoreCase("addPassword") ? Operation.CREATE : Operation.REVOKE;
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
            return graphError(401, "InvalidAuthenticationToken", r.header("Authorization") == null
                    ? "Access token is empty." : "Access token validation failure. Invalid audience.");
        }
        if (!caller.get().equals(ADMIN)) {
            return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        }
        Matcher m = GRAPH_PATH.matcher(r.path());
        String id = m.matches() ? m.group(1) : "";
        if (!id.equals(objectId)) {
            return notFound(id);
        }
        return switch (operation) {
            case CREATE -> addPassword(r);
            case REVOKE -> {
                if (!(r.json().get("keyId") instanceof String keyId) || keyId.isBlank()) {
                    yield graphError(400, "Request_BadRequest", "The keyId parameter is required.");
                }
                yield passwords.containsKey(keyId) && keys.revoke(keyId) ? Reply.noContent() : notFound(keyId);
            }
            case LIST -> Reply.of(200, application(r.query().get("$select")));
            default -> notFound(id);
        };
    }

    private Reply token(Request r) {
        Matcher m = TOKEN_PATH.matcher(r.path());
        String tenant = m.matches() ? m.group(1) : "";
        if (!tenant.equals(tenantId)) {
            return aad(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you have the"
                    + " correct tenant ID and are signing into the correct cloud.");
        }
        Map<String, String> form = r.form();
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return aad(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }
        String[] client = client(r);
        if (client[0] == null || client[0].isBlank()) {
            return aad(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        }
        if (!graphScope.equals(form.get("scope"))) {
            return aad(400, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows"
                    + " must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }
        boolean isAdmin = client[0].equals(adminClientId);
        if (!isAdmin && !client[0].equals(appId)) {
            return aad(400, "unauthorized_client", 700016, "Application with identifier '" + client[0] + "' was not found"
                    + " in the directory '" + tenantId + "'. You may have sent your authentication request to the wrong tenant.");
        }
        if (client[1] == null || client[1].isEmpty()) {
            return aad(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for"
                    + " the 'client_credentials' grant type.");
        }
        Optional<ApiKeys.Key> key = keys.authenticate(client[1])
                .filter(k -> isAdmin ? k == admin : passwords.containsKey(k.id()));
        if (key.isEmpty()) {
            return aad(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the"
                    + " request is the client secret value, not the client secret ID, for a secret added to app '"
                    + client[0] + "'.");
        }
        if (!isAdmin && !clock.instant().isBefore(passwords.get(key.get().id()).end())) {
            return aad(401, "invalid_client", 7000222, "The provided client secret keys for app '" + client[0]
                    + "' are expired. Visit the Azure portal to create new keys for your app.");
        }
        return Reply.of(200, Map.of("token_type", "Bearer", "expires_in", 3599, "ext_expires_in", 3599,
                "access_token", tokens.issue(isAdmin ? ADMIN : key.get().id())));
    }

    @SuppressWarnings("unchecked")
    private Reply addPassword(Request r) {
        Map<String, Object> credential = r.json().get("passwordCredential") instanceof Map<?, ?> c
                ? (Map<String, Object>) c : Map.of();
        Instant now = clock.instant();
        Instant start;
        Instant end;
        try {
            start = credential.get("startDateTime") == null ? now : instant(credential.get("startDateTime"));
            end = credential.get("endDateTime") == null ? start.atOffset(ZoneOffset.UTC).plusYears(2).toInstant()
                    : instant(credential.get("endDateTime"));
        } catch (DateTimeParseException e) {
            return graphError(400, "BadRequest", "Invalid value for a date-time property of passwordCredential.");
        }
        if (!end.isAfter(now) || !end.isAfter(start)) {
            return graphError(400, "InvalidRequest", "The endDateTime of a password credential must be in the future"
                    + " and after its startDateTime.");
        }
        String displayName = credential.get("displayName") instanceof String s ? s : null;
        Duration wait = start.isAfter(now) ? Duration.between(now, start).plus(delay()) : delay();
        ApiKeys.Key key = keys.mint(UUID.randomUUID().toString(), displayName == null ? "" : displayName, secretText(), wait, null);
        passwords.put(key.id(), new Password(displayName, start, end));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential");
        body.putAll(describe(key, true));
        return Reply.of(200, body);
    }

    private Map<String, Object> application(String select) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", objectId);
        app.put("appId", appId);
        app.put("displayName", "app");
        app.put("passwordCredentials", keys.active().stream().filter(k -> passwords.containsKey(k.id()))
                .sorted(Comparator.comparing(ApiKeys.Key::createdAt)).map(k -> describe(k, false)).toList());
        if (select == null || select.isBlank()) {
            return app;
        }
        app.keySet().retainAll(Arrays.stream(select.split(",")).map(String::trim).toList());
        Map<String, Object> selected = new LinkedHashMap<>();
        selected.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#applications(" + select + ")/$entity");
        selected.putAll(app);
        return selected;
    }

    private Map<String, Object> describe(ApiKeys.Key key, boolean withSecret) {
        Password p = passwords.get(key.id());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("customKeyIdentifier", null);
        json.put("displayName", p.displayName());
        json.put("endDateTime", p.end().toString());
        json.put("hint", key.secret().substring(0, 3));
        json.put("keyId", key.id());
        json.put("secretText", withSecret ? key.secret() : null);
        json.put("startDateTime", p.start().toString());
        return json;
    }

    /** The client id and secret of a token request: HTTP Basic if present, else the form. */
    private static String[] client(Request r) {
        String[] basic = AccessTokens.basic(r.header("Authorization"));
        if (basic != null) {
            return basic;
        }
        try {
            Map<String, String> form = r.form();
            return new String[] {form.get("client_id"), form.get("client_secret")};
        } catch (IllegalArgumentException e) {
            return new String[2];
        }
    }

    private static Instant instant(Object value) {
        String text = String.valueOf(value);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }

    /** A client secret value like the portal's: 40 characters, the 4th to 6th {@code 8Q~}. */
    private static String secretText() {
        return ApiKeys.random(3) + "8Q~" + ApiKeys.random(34);
    }

    private Reply aad(int status, String error, int code, String description) {
        Instant now = clock.instant();
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        return Reply.of(status, Map.of("error", error, "error_description", "AADSTS" + code + ": " + description
                + " Trace ID: " + trace + " Correlation ID: " + correlation + " Timestamp: " + now, "error_codes", List.of(code),
                "timestamp", now.toString(), "trace_id", trace, "correlation_id", correlation));
    }

    private Reply graphError(int status, String code, String message) {
        return Reply.of(status, Map.of("error", Map.of("code", code, "message", message, "innerError",
                Map.of("date", clock.instant().toString(), "request-id", UUID.randomUUID().toString(),
                        "client-request-id", UUID.randomUUID().toString()))));
    }

    private Reply notFound(String id) {
        return graphError(404, "Request_ResourceNotFound", "Resource '" + id + "' does not exist or one of its queried"
                + " reference-property objects are not present.");
    }

    private static String enc(Object value) {
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
    }
}
