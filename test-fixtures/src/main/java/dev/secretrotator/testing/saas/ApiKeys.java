package dev.secretrotator.testing.saas;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key store of a SaaS test server: keys minted, listed, used and revoked, with a propagation
 * delay before a new key authenticates. Thread-safe.
 */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Clock clock;
    private final Map<String, Key> byId = new ConcurrentHashMap<>();
    private final Map<String, Key> bySecret = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger refusedWhilePropagating = new java.util.concurrent.atomic.AtomicInteger();

    /** One key. The secret is never shown by {@link #toString()}. */
    public static final class Key {
        private final String id;
        private final String name;
        private final String secret;
        private final Instant createdAt;
        private final Instant validFrom;
        private final List<String> scopes;
        private volatile Instant revokedAt;
        private volatile Instant lastUsedAt;

        Key(String id, String name, String secret, Instant createdAt, Instant validFrom, List<String> scopes) {
            this.id = id;
            this.name = name;
            this.secret = secret;
            this.createdAt = createdAt;
            this.validFrom = validFrom;
            this.scopes = scopes;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public String secret() {
            return secret;
        }

        public Instant createdAt() {
            return createdAt;
        }

        /** The key's scopes; {@code null} means full access. */
        public List<String> scopes() {
            return scopes;
        }

        public boolean revoked() {
            return revokedAt != null;
        }

        public Optional<Instant> lastUsedAt() {
            return Optional.ofNullable(lastUsedAt);
        }

        @Override
        public String toString() {
            return "Key[id=" + id + ", name=" + name + (revoked() ? ", revoked" : "") + "]";
        }
    }

    public ApiKeys(Clock clock) {
        this.clock = clock;
    }

    /** A random string of letters and digits. */
    public static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    /** A random lower-case hexadecimal string. */
    public static String hex(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return out.toString();
    }

    /** Mints a key that authenticates only after {@code propagation}. */
    public Key mint(String id, String name, String secret, Duration propagation, List<String> scopes) {
        Instant now = clock.instant();
        Key key = new Key(id, name, secret, now, now.plus(propagation), scopes == null ? null : List.copyOf(scopes));
        byId.put(id, key);
        bySecret.put(secret, key);
        return key;
    }

    /** The key this secret belongs to if it is not revoked and has propagated; records the use. */
    public Optional<Key> authenticate(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        Key key = bySecret.get(secret);
        Instant now = clock.instant();
        if (key != null && !key.revoked() && now.isBefore(key.validFrom)) {
            refusedWhilePropagating.incrementAndGet();
            return Optional.empty();
        }
        if (key == null || key.revoked()) {
            return Optional.empty();
        }
        key.lastUsedAt = now;
        return Optional.of(key);
    }

    /** Revokes a key; false if it is unknown or already revoked. */
    public boolean revoke(String id) {
        Key key = byId.get(id);
        if (key == null || key.revoked()) {
            return false;
        }
        key.revokedAt = clock.instant();
        return true;
    }

    /** A key that is not revoked. */
    public Optional<Key> active(String id) {
        return Optional.ofNullable(byId.get(id)).filter(k -> !k.revoked());
    }

    /** Every key not revoked, oldest first. */
    public List<Key> active() {
        List<Key> keys = new ArrayList<>(byId.values().stream().filter(k -> !k.revoked()).toList());
        keys.sort(Comparator.comparing(Key::createdAt).thenComparing(Key::id));
        return keys;
    }

    /** Every key ever minted. */
    public List<Key> all() {
        return List.copyOf(byId.values());
    }

    /** How many requests a new key made before it had propagated (and were refused). */
    public int refusedWhilePropagating() {
        return refusedWhilePropagating.get();
    }

    public void clear() {
        byId.clear();
        bySecret.clear();
        refusedWhilePropagating.set(0);
    }
}
