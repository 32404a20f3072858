package dev.secretrotator.testing.weaviate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One database user. Not thread-safe: only {@link UserStore} reads and mutates it, under its lock.
 */
final class DbUser {
    /** {@code db_user}: managed through the API; {@code db_env_user}: configured at construction, immutable. */
    enum Kind {
        DB("db_user"), ENV("db_env_user");

        final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }
    }

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    final String id;
    final Kind kind;
    final boolean root;
    final Instant createdAt;
    final Set<String> roles = new TreeSet<>();
    String apiKey;
    boolean active = true;
    Instant lastUsedAt;

    DbUser(String id, Kind kind, boolean root, Instant createdAt) {
        this.id = id;
        this.kind = kind;
        this.root = root;
        this.createdAt = createdAt;
    }

    /** The spec's {@code DBUserInfo}. */
    Map<String, Object> info(boolean includeLastUsed, boolean showKeyLetters) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userId", id);
        out.put("dbUserType", kind.wireName);
        out.put("active", active);
        out.put("roles", new ArrayList<>(roles));
        if (createdAt != null) {
            out.put("createdAt", iso(createdAt));
        }
        if (showKeyLetters && apiKey != null && kind == Kind.DB) {
            out.put("apiKeyFirstLetters", apiKey.substring(0, 3));
        }
        if (includeLastUsed) {
            out.put("lastUsedAt", lastUsedAt == null ? null : iso(lastUsedAt));
        }
        return out;
    }

    static String iso(Instant instant) {
        return ISO.format(instant);
    }
}
