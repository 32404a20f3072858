package dev.secretrotator.testing.saas;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud IAM service-account keys (IAM API v1) and Google's OAuth 2.0 token endpoint, on one loopback
 * port, with real RSA keys ({@link GoogleJwt}). Two service accounts of project {@code proj-123}: the rotated
 * one and an admin one holding {@code roles/iam.serviceAccountKeyAdmin} on it.
 * <ul>
 * <li>{@code POST /token}, form {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>}
 * (RS256, {@code kid} = private_key_id, claims {@code iss, scope, aud, iat, exp}) → 200 {@code {access_token:
 * "ya29.…", expires_in: 3599, token_type: "Bearer"}}. Unknown {@code iss} → 400 {@code invalid_grant "Invalid
 * grant: account not found"}; an unknown, deleted or disabled key, a bad signature or a key not yet propagated
 * → 400 {@code invalid_grant "Invalid JWT Signature."}; {@code aud} other than this server's own {@code /token}
 * URL (Google's {@code https://oauth2.googleapis.com/token} plays the part of the URL the client posted to, so
 * the key file's {@code token_uri}, Google's URL, is refused as an audience here) → 400 {@code invalid_grant}; {@code iat} more than 5 minutes off the server clock, {@code exp - iat > 3600} or an expired
 * {@code exp} → 400 {@code invalid_grant "Invalid JWT: Token must be a short-lived token…"}; no {@code scope}
 * → 400 {@code invalid_scope}.</li>
 * <li>{@code POST /v1/projects/{p}/serviceAccounts/{email}/keys {privateKeyType?, keyAlgorithm?}} (only
 * {@code TYPE_GOOGLE_CREDENTIALS_FILE} / {@code KEY_ALG_RSA_2048}) → 200 with {@code name} and
 * {@code privateKeyData} (standard base64 of the key file JSON, shown once); at most 10 user-managed keys per
 * account, enabled or disabled: the 11th → 400 {@code FAILED_PRECONDITION "Precondition check failed."}.</li>
 * <li>{@code GET …/keys?keyTypes=USER_MANAGED} → 200 {@code {"keys": […]}} ({@code {}} when there are none, as
 * Google omits empty lists); {@code GET …/keys/{id}} → 200 ({@code "disabled": true} only when disabled);
 * {@code POST …/keys/{id}:disable} and {@code :enable} → 200 {@code {}}; {@code DELETE …/keys/{id}} → 200
 * {@code {}}, enabled or not, at once. Unknown or deleted key → 404 {@code NOT_FOUND}.</li>
 * </ul>
 * IAM calls need {@code Authorization: Bearer} of a live access token (else 401 {@code UNAUTHENTICATED}); the
 * rotated account's own tokens, another account or another project → 403 {@code PERMISSION_DENIED "Permission
 * 'iam.serviceAccountKeys.<create|list|get|disable|enable|delete>' denied on resource (or it may not exist)."}.
 * {@code {p}} is {@code -} or the project id; the email may be percent-encoded. System-managed keys are not
 * played. Unverified against the live API: that a disabled key gets exactly "Invalid JWT Signature.", the audience
 * message, the answer to a malformed assertion (here "Invalid JWT Signature." too), whether disabling a disabled key
 * is a no-op, and that access tokens outlive the key that got them (here they do, for their hour).
 */
public final class GcpIamTestServer extends SaasTestServer {
    static final String PROJECT = "proj-123";
    static final int MAX_KEYS = 10;
    static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    private static final String ROTATED = "rotated@" + PROJECT + ".iam.gserviceaccount.com";
    private static final String ADMIN = "rotator-admin@" + PROJECT + ".iam.gserviceaccount.com";
    private static final Pattern KEYS = Pattern.compile("/v1/projects/([^/]+)/serviceAccounts/([^/]+)/keys(?:/([^/:]+)(?::(disable|enable))?)?");

    private record Meta(String email, PublicKey publicKey) {}


    private final Map<String, String> clientIds = Map.of(ROTATED, clientId(), ADMIN, clientId());
    private final Map<String, Meta> meta = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final AccessTokens tokens;
    private volatile String adminKeyFile;

    public GcpIamTestServer(Clock clock) {
        super("gcp-iam", clock);
        this.tokens = new AccessTokens(clock, "ya29.");
        reset();
    }

    @Override
    protected synchronized void seedAdmin() {
        meta.clear();
        disabled.clear();
        tokens.clear();
        adminKeyFile = GoogleJwt.keyFileJson(mint(ADMIN, "rotator-admin key", Duration.ZERO).secret());
    }

    /** A key of the rotated account created in the console: valid at once; its secret is the base64 key file. */
    @Override
    public synchronized ApiKeys.Key seedKey(String name) {
        if (keyCount() >= MAX_KEYS) {
            throw new IllegalStateException("GCP allows at most 10 user-managed keys per service account");
        }
        return mint(ROTATED, name, Duration.ZERO);
    }

    public boolean isDisabled(String keyId) {
        return disabled.contains(keyId);
    }

    /** User-managed keys of the rotated account that exist (enabled or disabled). */
    public int keyCount() {
        return (int) meta.entrySet().stream().filter(e -> e.getValue().email().equals(ROTATED))
                .filter(e -> keys.active(e.getKey()).isPresent()).count();
    }

    /** Enables a key as someone would in the console. */
    public void enable(String keyId) {
        disabled.remove(keyId);
    }

    public String rotatedEmail() {
        return ROTATED;
    }

    public String adminEmail() {
        return ADMIN;
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("keyFile", adminKeyFile);
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("serviceAccountEmail", ROTATED, "projectId", PROJECT);
    }

    @Override
    public int rejectedStatus() {
        return 400;
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        String jwt = GoogleJwt.assertion(GoogleJwt.keyFileJson(String.valueOf(secret.get("apiKey"))), url() + "/token",
                CLOUD_PLATFORM, clock.instant());
        return request("/token").header("X-Consumer", "1").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + URLEncoder.encode(
                        "urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8) + "&assertion=" + jwt));
    }

    @Override
    protected Operation route(Request r) {
        if (r.path().equals("/token")) {
            if (!r.method().equals("POST")) {
                return null;
            }
            Map<String, Object> claims = GoogleJwt.decode(r.form().get("assertion"), 1);
            return "1".equals(r.header("X-Consumer")) ? Operation.CONSUME
                    : claims != null && ADMIN.equals(claims.get("iss")) ? Operation.TOKEN : Operation.VERIFY;
        }
        Matcher m = KEYS.matcher(r.path());
        if (!m.matches()) {
            return null;
        }
        String method = r.method();
        if (m.group(3) == null) {
            return method.equals("POST") ? Operation.CREATE : method.equals("GET") ? Operation.LIST : null;
        }
        if (m.group(4) != null) {
            return method.equals("POST") ? Operation.DEACTIVATE : null;
        }
        return method.equals("GET") ? Operation.GET_KEY : method.equals("DELETE") ? Operation.REVOKE : null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        if (operation == Operation.VERIFY || operation == Operation.CONSUME || operation == Operation.TOKEN) {
            if (operation != Operation.CONSUME) {
                dev.secretrotator.testing.LeakCheck.sensitive(r.form().get("assertion"));
                return rotatorsToken(token(r));
            }
            return token(r);
        }
        Matcher m = KEYS.matcher(r.path());
        m.matches();
        String auth = r.header("Authorization");
        Optional<String> caller = tokens.principal(auth);
        if (caller.isEmpty()) {
            return error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie"
                    + " or other valid authentication credential.", "UNAUTHENTICATED");
        }
        String permission = switch (operation) {
            case CREATE -> "create";
            case LIST -> "list";
            case GET_KEY -> "get";
            case DEACTIVATE -> m.group(4);
            default -> "delete";
        };
        String project = m.group(1);
        String email = m.group(2);
        if (!caller.get().equals(ADMIN) || !email.equals(ROTATED) || !(project.equals("-") || project.equals(PROJECT))) {
            return error(403, "Permission 'iam.serviceAccountKeys." + permission + "' denied on resource (or it may not exist).",
                    "PERMISSION_DENIED");
        }
        String id = m.group(3);
        if (id != null && (!meta.containsKey(id) || !meta.get(id).email().equals(email) || keys.active(id).isEmpty())) {
            return error(404, "Service account key projects/" + project + "/serviceAccounts/" + email + "/keys/" + id
                    + " does not exist.", "NOT_FOUND");
        }
        synchronized (this) {
            return switch (operation) {
                case CREATE -> create(r);
                case LIST -> {
                    String types = r.query().getOrDefault("keyTypes", "USER_MANAGED");
                    var list = !types.contains("USER_MANAGED") ? java.util.List.<Map<String, Object>>of()
                            : keys.active().stream().filter(k -> meta.containsKey(k.id()) && meta.get(k.id()).email().equals(ROTATED))
                            .sorted(Comparator.comparing(ApiKeys.Key::createdAt)).map(this::describe).toList();
                    yield Reply.of(200, list.isEmpty() ? Map.of() : Map.of("keys", list));
                }
                case GET_KEY -> Reply.of(200, describe(key(id)));
                case DEACTIVATE -> {
                    if (m.group(4).equals("disable")) {
                        disabled.add(id);
                    } else {
                        disabled.remove(id);
                    }
                    yield Reply.of(200, Map.of()); // the same whether or not it changed (unverified)
                }
                default -> {
                    keys.revoke(id);
                    yield Reply.of(200, Map.of());
                }
            };
        }
    }

    private Reply create(Request r) {
        Map<String, Object> body = r.json();
        if (!"TYPE_GOOGLE_CREDENTIALS_FILE".equals(body.getOrDefault("privateKeyType", "TYPE_GOOGLE_CREDENTIALS_FILE"))
                || !"KEY_ALG_RSA_2048".equals(body.getOrDefault("keyAlgorithm", "KEY_ALG_RSA_2048"))) {
            return error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT");
        }
        if (keyCount() >= MAX_KEYS) {
            return error(400, "Precondition check failed.", "FAILED_PRECONDITION");
        }
        ApiKeys.Key key = mint(ROTATED, "created through the IAM API", delay());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name(key.id()));
        json.put("privateKeyType", "TYPE_GOOGLE_CREDENTIALS_FILE");
        json.put("privateKeyData", key.secret());
        json.putAll(describe(key)); // "name" keeps its first place
        return Reply.of(200, json);
    }

    private Reply token(Request r) {
        Map<String, String> form = r.form();
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            return Reply.of(400, Map.of("error", "unsupported_grant_type", "error_description", "Invalid grant_type: "
                    + form.getOrDefault("grant_type", "")));
        }
        String jwt = form.get("assertion");
        Map<String, Object> header = GoogleJwt.decode(jwt, 0);
        Map<String, Object> claims = GoogleJwt.decode(jwt, 1);
        if (header == null || claims == null) {
            return invalidGrant("Invalid JWT Signature.");
        }
        Object iss = claims.get("iss");
        if (!ROTATED.equals(iss) && !ADMIN.equals(iss)) {
            return invalidGrant("Invalid grant: account not found");
        }
        Object kid = header.get("kid");
        Meta key = kid instanceof String k && keys.active(k).isPresent() ? meta.get(k) : null;
        if (key == null || !key.email().equals(iss) || !"RS256".equals(header.get("alg")) || !GoogleJwt.verify(jwt, key.publicKey())
                || disabled.contains((String) kid)) {
            return invalidGrant("Invalid JWT Signature.");
        }
        // this server's own token URL only: the key file's token_uri (Google's) must never become the audience
        if (!(url() + "/token").equals(claims.get("aud"))) {
            return invalidGrant("Invalid JWT: Failed audience check. The right audience is " + url() + "/token");
        }
        long now = clock.instant().getEpochSecond();
        if (!(claims.get("iat") instanceof Number iat) || !(claims.get("exp") instanceof Number exp)
                || Math.abs(iat.longValue() - now) > 300 || exp.longValue() - iat.longValue() > 3600 || exp.longValue() <= now) {
            return invalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
                    + " Check your iat and exp values in the JWT claim.");
        }
        if (!(claims.get("scope") instanceof String scope) || scope.isBlank()) {
            return Reply.of(400, Map.of("error", "invalid_scope", "error_description", "Invalid OAuth scope or ID token audience provided."));
        }
        if (keys.authenticate(key((String) kid).secret()).isEmpty()) {
            return invalidGrant("Invalid JWT Signature."); // not yet propagated
        }
        String accessToken = tokens.issue(key.email());
        return Reply.of(200, Map.of("access_token", accessToken, "expires_in", 3599, "token_type", "Bearer"));
    }

    private ApiKeys.Key mint(String email, String name, Duration propagation) {
        KeyPair pair = GoogleJwt.rsa2048();
        String id = ApiKeys.hex(40);
        String file = GoogleJwt.keyFile(PROJECT, id, pair.getPrivate(), email, clientIds.get(email));
        ApiKeys.Key key = keys.mint(id, name, Base64.getEncoder().encodeToString(file.getBytes(StandardCharsets.UTF_8)), propagation, null);
        meta.put(id, new Meta(email, pair.getPublic()));
        return key;
    }

    private Map<String, Object> describe(ApiKeys.Key key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name(key.id()));
        json.put("validAfterTime", key.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("validBeforeTime", "9999-12-31T23:59:59Z");
        json.put("keyAlgorithm", "KEY_ALG_RSA_2048");
        json.put("keyOrigin", "GOOGLE_PROVIDED");
        json.put("keyType", "USER_MANAGED");
        if (disabled.contains(key.id())) {
            json.put("disabled", true);
        }
        return json;
    }

    private String name(String keyId) {
        return "projects/" + PROJECT + "/serviceAccounts/" + meta.get(keyId).email() + "/keys/" + keyId;
    }

    private static Reply invalidGrant(String description) {
        return Reply.of(400, Map.of("error", "invalid_grant", "error_description", description));
    }

    private static Reply error(int code, String message, String status) {
        return Reply.of(code, Map.of("error", Map.of("code", code, "message", message, "status", status)));
    }

    /** A numeric OAuth client id of 21 digits, as Google's. */
    private static String clientId() {
        return String.format("1%020d", java.util.concurrent.ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
    }
}
