package dev.secretrotator.testing.saas;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens an OAuth token endpoint of a test server issued: random strings, each
 * remembering the principal it was issued to (the admin, or a rotated credential's key id) and
 * expiring one hour after issue by the server's clock. Like real bearer tokens, a token stays
 * valid until it expires even if the credential that obtained it is deleted. Thread-safe.
 */
final class AccessTokens {
    static final Duration LIFETIME = Duration.ofHours(1);

    /** Who a token was issued to and until when it is valid. */
    record Grant(String principal, Instant expiresAt) {}

    private final Clock clock;
    private final String prefix;
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();

    AccessTokens(Clock clock, String prefix) {
        this.clock = clock;
        this.prefix = prefix;
    }

    /** A new token for {@code principal}, valid for {@link #LIFETIME}. */
    String issue(String principal) {
        String token = prefix + ApiKeys.random(64);
        tokens.put(token, new Grant(principal, clock.instant().plus(LIFETIME)));
        return token;
    }

    /** The principal of a valid {@code Authorization: Bearer} header, or empty. */
    Optional<String> principal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        Grant grant = tokens.get(authorization.substring(7).trim());
        return grant == null || !clock.instant().isBefore(grant.expiresAt()) ? Optional.empty()
                : Optional.of(grant.principal());
    }

    /**
     * The user name and password of an HTTP Basic {@code Authorization} header, or null if it is
     * absent or malformed. Each is form-decoded (RFC 6749 2.3.1: clients form-encode them first;
     * a malformed escape is taken as it is).
     */
    static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {formDecode(decoded.substring(0, colon)), formDecode(decoded.substring(colon + 1))};
    }

    private static String formDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** An HTTP Basic {@code Authorization} header value. */
    static String basicHeader(Object user, Object password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Forgets every token. */
    void clear() {
        tokens.clear();
    }
}
