package dev.secretrotator.provider.weaviate;

import dev.secretrotator.TargetServiceException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Weaviate says about a database user ({@code DBUserInfo}); holds no key.
 *
 * @param userId the user's name
 * @param envUser whether it is a {@code db_env_user} (configured by environment, never rotatable)
 * @param active whether its key authenticates
 * @param roles the names of its roles
 * @param lastUsedAt when its key was last used, as far as Weaviate knows (best effort)
 * @param keyLetters the first letters of its current key ({@code apiKeyFirstLetters}); Weaviate
 *     shows them to root callers only, and not when the user has no key (revoked)
 */
record UserInfo(String userId, boolean envUser, boolean active, Set<String> roles, Optional<Instant> lastUsedAt,
        Optional<String> keyLetters) {

    static UserInfo from(Map<String, Object> body, String requested) {
        Object type = body.get("dbUserType");
        Object active = body.get("active");
        if (!(type instanceof String) || !(active instanceof Boolean)) {
            throw new TargetServiceException("Weaviate's answer about user " + requested
                    + " lacks \"dbUserType\" or \"active\"; is the endpoint a Weaviate 1.30 or later?");
        }
        Set<String> roles = new TreeSet<>();
        if (body.get("roles") instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        Optional<String> letters = body.get("apiKeyFirstLetters") instanceof String l && !l.isEmpty()
                ? Optional.of(l) : Optional.empty();
        return new UserInfo(requested, "db_env_user".equals(type), (Boolean) active, Set.copyOf(roles),
                instant(body.get("lastUsedAt")), letters);
    }

    /**
     * Whether Weaviate shows that the user's key is not {@code key}: the key letters are shown and
     * differ. False when they are not shown (the caller is not root, or the user has no key).
     */
    boolean holdsOtherKeyThan(String key) {
        return keyLetters.isPresent() && !key.startsWith(keyLetters.get());
    }

    /** Parses Weaviate's ISO-8601 date-times; Go's zero time means "never". */
    static Optional<Instant> instant(Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant at = DateTimeFormatter.ISO_DATE_TIME.parse(text, Instant::from);
            return at.isBefore(Instant.parse("1970-01-02T00:00:00Z")) ? Optional.empty() : Optional.of(at);
        } catch (DateTimeParseException e) {
            throw new TargetServiceException("Weaviate answered a lastUsedAt that is not an ISO-8601 date-time");
        }
    }

    /** Role names, sorted, for messages and requests. */
    List<String> roleList() {
        return new ArrayList<>(new TreeSet<>(roles));
    }
}
