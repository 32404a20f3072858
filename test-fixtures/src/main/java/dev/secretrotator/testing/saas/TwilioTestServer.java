package dev.secretrotator.testing.saas;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's API keys (2010-04-01): {@code POST /Accounts/{AccountSid}/Keys.json} (form
 * {@code FriendlyName}) → 201 with {@code sid} (SK…) and {@code secret}; {@code GET
 * Keys.json?PageSize=} → {@code {"keys": [...]}}; {@code DELETE Keys/{sid}.json} → 204;
 * {@code GET /Accounts/{AccountSid}.json}. HTTP Basic auth: Account SID and Auth Token (may
 * manage keys), or a standard key's sid and secret (may not: 403). 401 with code 20003 for bad
 * credentials, a revoked key or one not yet propagated.
 */
public final class TwilioTestServer extends SaasTestServer {
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Map<String, Object> AUTHENTICATE = Map.of("code", 20003, "message", "Authenticate",
            "more_info", "https://www.twilio.com/docs/errors/20003", "status", 401);

    private volatile String accountSid;
    private volatile String authToken;

    public TwilioTestServer(Clock clock) {
        super("twilio", clock);
        reset();
    }

    public TwilioTestServer() {
        this(Clock.systemUTC());
    }

    public String accountSid() {
        return accountSid;
    }

    @Override
    protected void seedAdmin() {
        accountSid = "AC" + ApiKeys.hex(32);
        authToken = ApiKeys.hex(32);
    }

    @Override
    public ApiKeys.Key seedKey(String name) {
        return keys.mint("SK" + ApiKeys.hex(32), name, ApiKeys.random(32), Duration.ZERO, null);
    }

    @Override
    public Map<String, String> adminSecret() {
        return Map.of("username", accountSid, "password", authToken);
    }

    @Override
    public Map<String, Object> secretFields() {
        return Map.of("accountSid", accountSid);
    }

    @Override
    protected HttpRequest.Builder consumerRequest(Map<String, Object> secret) {
        return request("/2010-04-01/Accounts/" + secret.get("accountSid") + "/Messages.json?PageSize=1")
                .header("Authorization", basic(secret.get("keyId") + ":" + secret.get("apiKey"))).GET();
    }

    static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected Operation route(Request r) {
        String account = "/2010-04-01/Accounts/" + accountSid;
        String p = r.path();
        if (p.equals(account + ".json") && r.method().equals("GET")) {
            return Operation.VERIFY;
        }
        if (p.equals(account + "/Messages.json") && r.method().equals("GET")) {
            return Operation.CONSUME;
        }
        if (p.equals(account + "/Keys.json")) {
            return r.method().equals("POST") ? Operation.CREATE : r.method().equals("GET") ? Operation.LIST : null;
        }
        if (p.startsWith(account + "/Keys/") && p.endsWith(".json")) {
            return r.method().equals("DELETE") ? Operation.REVOKE : r.method().equals("GET") ? Operation.GET_KEY : null;
        }
        return null;
    }

    @Override
    protected Reply handle(Operation operation, Request r) {
        Optional<String[]> credentials = credentials(r.header("Authorization"));
        boolean account = credentials.filter(c -> c[0].equals(accountSid) && c[1].equals(authToken)).isPresent();
        boolean standardKey = !account && credentials.filter(c -> c[0].startsWith("SK"))
                .flatMap(c -> keys.authenticate(c[1]).filter(k -> k.id().equals(c[0]))).isPresent();
        if (!account && !standardKey) {
            return Reply.of(401, AUTHENTICATE);
        }
        if (operation == Operation.VERIFY) {
            return Reply.of(200, Map.of("sid", accountSid, "friendly_name", "test account", "status", "active", "type", "Full"));
        }
        if (operation == Operation.CONSUME) {
            return Reply.of(200, Map.of("messages", List.of(), "page", 0, "page_size", 1));
        }
        if (!account) {
            return Reply.of(403, Map.of("code", 20003, "message", "Standard API keys may not manage API keys", "status", 403));
        }
        String file = r.path().substring(r.path().lastIndexOf('/') + 1);
        String sid = file.substring(0, file.length() - ".json".length());
        return switch (operation) {
            case CREATE -> {
                String name = r.form().getOrDefault("FriendlyName", "");
                ApiKeys.Key key = keys.mint("SK" + ApiKeys.hex(32), name, ApiKeys.random(32), delay(), null);
                Map<String, Object> json = describe(key);
                json.put("secret", key.secret());
                yield Reply.of(201, json);
            }
            case LIST -> {
                int size = Integer.parseInt(r.query().getOrDefault("PageSize", "50"));
                List<Map<String, Object>> page = keys.active().stream().filter(k -> k.id().startsWith("SK"))
                        .limit(size).map(this::describe).toList();
                yield Reply.of(200, Map.of("keys", page, "page", 0, "page_size", size, "first_page_uri",
                        r.path() + "?PageSize=" + size + "&Page=0"));
            }
            case REVOKE -> keys.revoke(sid) ? Reply.noContent() : notFound();
            case GET_KEY -> keys.active(sid).map(k -> Reply.of(200, (Object) describe(k))).orElseGet(TwilioTestServer::notFound);
            default -> notFound();
        };
    }

    private Map<String, Object> describe(ApiKeys.Key key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sid", key.id());
        json.put("friendly_name", key.name());
        json.put("date_created", RFC_2822.format(key.createdAt()));
        json.put("date_updated", RFC_2822.format(key.createdAt()));
        return json;
    }

    private static Optional<String[]> credentials(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Reply notFound() {
        return Reply.of(404, Map.of("code", 20404, "message", "The requested resource was not found", "status", 404));
    }

    static Instant parseDate(String text) {
        return Instant.from(RFC_2822.parse(text));
    }
}
