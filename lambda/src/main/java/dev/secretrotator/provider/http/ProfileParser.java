package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.http.Profile.Auth;
import dev.secretrotator.provider.http.Profile.AuthTemplate;
import dev.secretrotator.provider.http.Profile.BodyFormat;
import dev.secretrotator.provider.http.Profile.Call;
import dev.secretrotator.provider.http.Profile.Create;
import dev.secretrotator.provider.http.Profile.LastUsed;
import dev.secretrotator.provider.http.Profile.ListCall;
import dev.secretrotator.provider.http.Profile.Management;
import dev.secretrotator.provider.http.Profile.Propagation;
import dev.secretrotator.provider.http.Profile.TimeFormat;
import dev.secretrotator.provider.http.Profile.Verify;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a profile (parsed JSON) field by field and builds a {@link Profile}. Every error names
 * the profile and the field ({@code create.response.key}) and says what is expected; none quotes
 * a value, since an inline profile lives in the secret.
 */
final class ProfileParser {
    static final String DEFAULT_KEY_NAME = "secret-rotator-{versionId}";
    /** Statuses that say nothing good about a key, whatever a profile claims. */
    private static final Set<Integer> NEVER_PROOF = Set.of(401, 407, 408, 429);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");
    /** Placeholders a request path or body may not use: credentials go in auth headers only. */
    private static final Pattern CREDENTIAL_NAME =
            Pattern.compile("(?i).*(password|secret|apikey|api_key|token|privatekey|value).*");
    private static final Pattern NOT_CREDENTIAL = Pattern.compile("(?i).*(id|arn|name|endpoint|url)$");

    private final String source;

    private ProfileParser(String source) {
        this.source = source;
    }

    /**
     * @param json the parsed profile
     * @param expectedName the name it was looked up by, or empty for an inline profile
     * @param source what the profile is, for messages ({@code profile "sendgrid"})
     */
    static Profile parse(Map<String, Object> json, Optional<String> expectedName, String source) {
        return new ProfileParser(source).profile(new ProfileNode(json, "", source), expectedName);
    }

    private Profile profile(ProfileNode root, Optional<String> expectedName) {
        root.only("formatVersion", "name", "description", "endpoint", "keyName", "auth", "create", "list", "verify",
                "revoke", "lastUsed", "propagation", "current", "expiry", "tokenEndpoint", "deactivate");
        ProfileFormat format = ProfileFormat.of(root, node -> call(node, "GET", Set.of()));
        String name = root.string("name").orElse(expectedName.orElse("inline"));
        if (expectedName.isPresent() && !expectedName.get().equals(name)) {
            throw error(root.field("name"), "must match the name it is looked up by, \"" + expectedName.get() + "\"");
        }
        Optional<String> endpoint = root.string("endpoint");
        endpoint.ifPresent(e -> absoluteUrl(e, root.field("endpoint")));
        String keyName = root.string("keyName").orElse(DEFAULT_KEY_NAME);
        if (!Template.placeholders(keyName).contains("versionId")) {
            throw error(root.field("keyName"), "must contain {versionId}, so a retried createSecret can find the key it made");
        }
        Optional<String> tokenEndpoint = format.tokenEndpoint(root);
        tokenEndpoint.ifPresent(e -> absoluteUrl(e, root.field("tokenEndpoint")));
        Auth auth = auth(root.object("auth", "how management calls and key calls authenticate"), format);
        Create create = create(root.object("create", "the call that mints a key"), format);
        Optional<ReadBeforeCreate.Current> current = format.current(root);
        Optional<ReadBeforeCreate.Expiry> expiry = format.expiry(root, current);
        ProfileFormat.checkCreateVariables(callPlaceholders(create.call()), current, expiry, root.object("create", ""));
        Optional<ListCall> list = root.optionalObject("list").map(this::list);
        Verify verify = verify(root.object("verify", "the cheap authenticated request that proves a key works"), format,
                auth.key().token().isPresent());
        ProfileNode revokeNode = root.object("revoke", "the call that revokes a key by id");
        revokeNode.only("method", "path", "body");
        format.require(revokeNode, "body");
        Call revoke = call(revokeNode, "DELETE", Set.of());
        if (!callPlaceholders(revoke).contains(Target.KEY_ID)) {
            throw error(revokeNode.field("path"), "must contain {keyId}" + (format.version() >= 2 ? " (or the body must)" : ""));
        }
        Optional<LastUsed> lastUsed = root.optionalObject("lastUsed").map(n -> lastUsed(n, format));
        Propagation propagation = root.optionalObject("propagation").map(this::propagation).orElse(Propagation.NONE);
        Optional<Profile.Deactivate> deactivate = format.deactivate(root);
        if (!create.named() && list.isPresent()) {
            throw error(root.field("list"), "finds a retried createSecret's key by its name, but create is \"named\": false");
        }
        Profile profile = new Profile(name, endpoint, keyName, auth, create, list, verify, revoke, lastUsed, propagation,
                format.version(), current, expiry, tokenEndpoint, deactivate);
        ProfileFormat.checkOnlyCreateUses(profile, root);
        Set<String> sent = new TreeSet<>(profile.requestPlaceholders());
        // a token step's path is a URL like any other: credentials go in its form body, never in the path
        Stream.concat(Stream.of(auth.key()), auth.admin().stream()).flatMap(a -> a.token().stream())
                .forEach(t -> sent.addAll(Template.placeholders(t.path())));
        for (String placeholder : sent) {
            if (CREDENTIAL_NAME.matcher(placeholder).matches() && !NOT_CREDENTIAL.matcher(placeholder).matches()) {
                throw error("keyName, paths and bodies", "use {" + placeholder + "}, a credential; credentials may appear"
                        + " only in the auth headers");
            }
        }
        return profile;
    }

    private Auth auth(ProfileNode node, ProfileFormat format) {
        node.only("management", "key", "admin");
        AuthTemplate key = authTemplate(node.object("key", "how a rotated key authenticates, e.g. {\"headers\":"
                + " {\"Authorization\": \"Bearer {apiKey}\"}}"), format);
        if (!key.placeholders().contains("apiKey")) {
            throw error(node.field("key"), "must use {apiKey}, the key being authenticated");
        }
        Optional<AuthTemplate> admin = node.optionalObject("admin").map(a -> authTemplate(a, format));
        if (admin.isPresent() && admin.get().placeholders().isEmpty()) {
            throw error(node.field("admin"), "must take its credential from the admin secret with a placeholder such as"
                    + " {apiKey}; a profile never holds a credential");
        }
        Management management = node.string("management").map(m -> switch (m) {
            case "admin" -> Management.ADMIN;
            case "key" -> Management.KEY;
            case "admin-or-key" -> Management.ADMIN_OR_KEY;
            default -> throw error(node.field("management"), "must be one of admin, key, admin-or-key");
        }).orElse(admin.isPresent() ? Management.ADMIN : Management.KEY);
        if (management != Management.KEY && admin.isEmpty()) {
            throw error(node.field("admin"), "is missing; management \"" + management.name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + "\" needs it");
        }
        return new Auth(key, admin, management);
    }

    private AuthTemplate authTemplate(ProfileNode node, ProfileFormat format) {
        node.only("headers", "basic", "token");
        Optional<Profile.TokenGrant> token = format.token(node);
        Map<String, String> headers = new LinkedHashMap<>();
        node.optionalObject("headers").ifPresent(h -> h.map.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches() || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw error(h.field(name), "is not a header name this provider may set");
            }
            if (!(value instanceof String s) || s.isEmpty()) {
                throw error(h.field(name), "must be a non-empty string template");
            }
            headers.put(name, s);
        }));
        Optional<String> basic = node.string("basic");
        if (basic.isPresent() && !basic.get().contains(":")) {
            throw error(node.field("basic"), "must be \"user:password\", e.g. \"{keyId}:{apiKey}\"");
        }
        if (headers.isEmpty() && basic.isEmpty()) {
            throw error(node.path, "needs \"headers\" or \"basic\"");
        }
        boolean usesToken = headers.values().stream().anyMatch(h -> Template.placeholders(h).contains(Profile.ACCESS_TOKEN));
        if (usesToken != token.isPresent()) {
            throw error(node.path, token.isPresent() ? "has a token step, so its headers must use {accessToken}, e.g."
                    + " {\"Authorization\": \"Bearer {accessToken}\"}" : "uses {accessToken}, which needs a token step (\"token\")");
        }
        return new AuthTemplate(Map.copyOf(headers), basic, token);
    }

    private Create create(ProfileNode node, ProfileFormat format) {
        node.only("method", "path", "body", "bodyFormat", "response", "named");
        format.require(node, "named");
        Call call = call(node, "POST", Set.of());
        Object namedRaw = node.raw("named").orElse(true);
        if (!(namedRaw instanceof Boolean)) {
            throw error(node.field("named"), "must be true or false");
        }
        boolean named = (Boolean) namedRaw;
        if (named && !callPlaceholders(call).contains("name")) {
            throw error(node.path, "must send the new key's name ({name}) in its path or body: a retried createSecret"
                    + " finds its own key by that name (a vendor whose keys have no name: \"named\": false)");
        }
        if (!named && callPlaceholders(call).contains("name")) {
            throw error(node.field("named"), "is false, but the call sends {name}");
        }
        ProfileNode response = node.object("response", "where the new key's id and value are in the answer");
        response.only("id", "key", "idPattern");
        format.require(response, "idPattern");
        Optional<Pattern> idPattern = response.string("idPattern").map(text -> {
            try {
                Pattern pattern = Pattern.compile(text);
                if (pattern.matcher("").groupCount() < 1) {
                    throw error(response.field("idPattern"), "must have a group, the id: e.g. \"/keys/([^/]+)$\"");
                }
                return pattern;
            } catch (java.util.regex.PatternSyntaxException e) {
                throw error(response.field("idPattern"), "is not a regular expression");
            }
        });
        return new Create(call, pointer(response, "id"), pointer(response, "key"), idPattern, named);
    }

    private ListCall list(ProfileNode node) {
        node.only("method", "path", "items", "id", "name");
        Call call = call(node, "GET", Set.of());
        String items = node.raw("items").map(v -> v instanceof String s ? s : null)
                .orElseThrow(() -> error(node.field("items"), "is missing; it is the JSON pointer to the array of keys"
                        + " (\"\" when the answer is the array)"));
        if (!JsonPointer.valid(items)) {
            throw error(node.field("items"), "must be a JSON pointer: empty or starting with /");
        }
        return new ListCall(call, items, pointer(node, "id"), pointer(node, "name"));
    }

    private Verify verify(ProfileNode node, ProfileFormat format, boolean keyHasToken) {
        node.only("method", "path", "rejectedStatuses", "acceptStatuses", "endpoint");
        format.require(node, "endpoint");
        Optional<String> endpoint = node.string("endpoint");
        if (endpoint.isPresent() && !endpoint.get().startsWith("{") && !endpoint.get().startsWith("https://")) {
            throw error(node.field("endpoint"), "must be an https URL or start with a placeholder such as {restEndpoint}");
        }
        boolean tokenOnly = keyHasToken && node.raw("path").isEmpty();
        if (tokenOnly && (endpoint.isPresent() || node.raw("method").isPresent() || node.raw("acceptStatuses").isPresent()
                || node.raw("rejectedStatuses").isPresent())) {
            throw error(node.path, "has no path, so the key's token step is the proof: method, endpoint, rejectedStatuses and"
                    + " acceptStatuses belong to a verify call (a token request's refusal is fixed: 401, or 400 with"
                    + " invalid_client or invalid_grant)");
        }
        Optional<Call> call = tokenOnly ? Optional.empty() : Optional.of(call(node, "GET", Set.of()));
        Set<Integer> rejected = new TreeSet<>();
        Object raw = node.raw("rejectedStatuses").orElse(List.of(401));
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw error(node.field("rejectedStatuses"), "must be a non-empty array of HTTP statuses such as [401]");
        }
        for (Object status : list) {
            if (!(status instanceof Integer i) || i < 400 || i > 499) {
                throw error(node.field("rejectedStatuses"), "must hold 4xx statuses only");
            }
            rejected.add(i);
        }
        return new Verify(call, Set.copyOf(rejected), acceptStatuses(node, rejected), endpoint);
    }

    /** {@code "acceptStatuses": {"403": "why this vendor answers 403 to a valid key"}}: 4xx only, each with a reason. */
    private Map<Integer, String> acceptStatuses(ProfileNode node, Set<Integer> rejected) {
        Map<Integer, String> accepted = new java.util.TreeMap<>();
        node.optionalObject("acceptStatuses").ifPresent(a -> a.map.forEach((status, reason) -> {
            int code;
            try {
                code = Integer.parseInt(status);
            } catch (NumberFormatException e) {
                throw error(a.field(status), "must be an HTTP status such as \"403\"");
            }
            if (code < 400 || code > 499 || NEVER_PROOF.contains(code) || rejected.contains(code)) {
                throw error(a.field(status), "cannot prove a key: only 4xx statuses other than 401, 407, 408, 429"
                        + " and the rejectedStatuses may be accepted");
            }
            if (!(reason instanceof String r) || r.isBlank()) {
                throw error(a.field(status), "must give the reason this vendor answers " + code + " to a valid key");
            }
            accepted.put(code, r);
        }));
        return Map.copyOf(accepted);
    }

    /** The placeholders of a call's path and body. */
    private static Set<String> callPlaceholders(Call call) {
        Set<String> used = new TreeSet<>(Template.placeholders(call.path()));
        call.body().ifPresent(b -> used.addAll(Template.placeholders(b)));
        return used;
    }

    private LastUsed lastUsed(ProfileNode node, ProfileFormat format) {
        node.only("method", "path", "pointer", "format", "activePointer", "items", "id");
        format.require(node, "activePointer");
        format.require(node, "items");
        Optional<Profile.Items> items = Optional.empty();
        if (node.raw("items").isPresent()) {
            String itemsPointer = pointer(node, "items");
            items = Optional.of(new Profile.Items(itemsPointer, pointer(node, "id")));
        } else if (node.raw("id").isPresent()) {
            throw error(node.field("id"), "belongs with \"items\", the array of keys whose item it points into");
        }
        Call call = call(node, "GET", items.isPresent() ? Set.of() : Set.of("keyId"));
        TimeFormat timeFormat = node.string("format").map(f -> switch (f) {
            case "epoch-seconds" -> TimeFormat.EPOCH_SECONDS;
            case "iso-8601" -> TimeFormat.ISO_8601;
            default -> throw error(node.field("format"), "must be epoch-seconds or iso-8601");
        }).orElseThrow(() -> error(node.field("format"), "is missing; epoch-seconds or iso-8601"));
        Optional<String> active = node.raw("activePointer").isPresent() ? Optional.of(pointer(node, "activePointer")) : Optional.empty();
        return new LastUsed(call, pointer(node, "pointer"), timeFormat, active, items);
    }

    private Propagation propagation(ProfileNode node) {
        node.only("pollInterval", "timeout", "consecutiveSuccesses");
        OptionalInt successes = OptionalInt.empty();
        Optional<Object> raw = node.raw("consecutiveSuccesses");
        if (raw.isPresent()) {
            if (!(raw.get() instanceof Integer i) || i < 1 || i > 100) {
                throw error(node.field("consecutiveSuccesses"), "must be a whole number from 1 to 100");
            }
            successes = OptionalInt.of(i);
        }
        return new Propagation(duration(node, "pollInterval"), duration(node, "timeout"), successes);
    }

    private Call call(ProfileNode node, String defaultMethod, Set<String> required) {
        String method = node.string("method").map(m -> m.toUpperCase(Locale.ROOT)).orElse(defaultMethod);
        if (!METHODS.contains(method)) {
            throw error(node.field("method"), "must be one of " + new TreeSet<>(METHODS));
        }
        String path = node.string("path").orElseThrow(() -> error(node.field("path"), "is missing"));
        checkPath(path, node.field("path"));
        for (String name : required) {
            if (!Template.placeholders(path).contains(name)) {
                throw error(node.field("path"), "must contain {" + name + "}");
            }
        }
        Optional<Map<String, Object>> body = node.optionalObject("body").map(b -> b.map);
        BodyFormat format = node.string("bodyFormat").map(f -> switch (f) {
            case "json" -> BodyFormat.JSON;
            case "form" -> BodyFormat.FORM;
            default -> throw error(node.field("bodyFormat"), "must be json or form");
        }).orElse(BodyFormat.JSON);
        if (format == BodyFormat.FORM && body.isPresent()
                && body.get().values().stream().anyMatch(v -> v instanceof Map || v instanceof List)) {
            throw error(node.field("body"), "must hold strings and numbers only with bodyFormat form");
        }
        return new Call(method, path, body, format);
    }

    private void checkPath(String path, String field) {
        if (!path.startsWith("/") || path.startsWith("//") || path.contains("://") || path.contains("#")) {
            throw error(field, "must be a path (and query) starting with a single /");
        }
        String sample = Template.PLACEHOLDER.matcher(path).replaceAll("x");
        try {
            URI uri = new URI("https://example.invalid" + sample);
            if (!"example.invalid".equals(uri.getHost())) {
                throw error(field, "must not change the host");
            }
        } catch (URISyntaxException e) {
            throw error(field, "is not a valid URL path; percent-encode characters such as spaces");
        }
    }

    private String pointer(ProfileNode node, String name) {
        String pointer = node.string(name).orElseThrow(() -> error(node.field(name), "is missing; it is a JSON pointer such as /id"));
        if (!JsonPointer.valid(pointer)) {
            throw error(node.field(name), "must be a JSON pointer starting with /");
        }
        return pointer;
    }

    private Optional<Duration> duration(ProfileNode node, String name) {
        return node.string(name).map(text -> {
            try {
                Duration d = Duration.parse(text);
                if (d.isNegative() || d.isZero()) {
                    throw error(node.field(name), "must be positive");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw error(node.field(name), "must be an ISO-8601 duration such as PT5S");
            }
        });
    }

    private void absoluteUrl(String url, String field) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw error(field, "must be an absolute URL such as https://api.example.com");
            }
        } catch (URISyntaxException e) {
            throw error(field, "is not a valid URL");
        }
    }

    private InvalidInputException error(String field, String problem) {
        return new InvalidInputException(source + ": field \"" + field + "\" " + problem);
    }
}
