package dev.secretrotator.provider.weaviate;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.Retirement;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.config.Verification;
import dev.secretrotator.provider.Endpoints;
import dev.secretrotator.provider.SecretValue;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of a {@code weaviate} secret, checked before anything is changed (see
 * {@code docs/providers/weaviate.md} for the contract).
 *
 * @param endpoint the Weaviate base URL, allow-listed (HTTPS, or HTTP to loopback)
 * @param strategy how keys are rotated
 * @param userId the user whose key {@code apiKey} is (the active user)
 * @param alternateUserId the idle user of {@code alternating-users}; empty for {@code single-user}
 * @param adminSecretArn the secret holding the admin key; empty when {@code selfManaged}
 * @param adminKeyField the field of the admin secret holding the key (default {@code apiKey})
 * @param selfManaged whether the active user's own key manages the other user (alternating-users only)
 * @param retirement grace and quiet periods, per-secret {@code "retirement"} over the function's
 * @param verification own-info polling, per-secret {@code "verification"} over the function's
 */
record WeaviateSecret(
        URI endpoint,
        Strategy strategy,
        String userId,
        Optional<String> alternateUserId,
        Optional<String> adminSecretArn,
        String adminKeyField,
        boolean selfManaged,
        Retirement retirement,
        Verification verification) {

    /** Weaviate's rule for database user names. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][-_0-9A-Za-z@.]{0,127}");

    /** The two ways to rotate. */
    enum Strategy {
        ALTERNATING_USERS("alternating-users"),
        SINGLE_USER("single-user");

        final String wireName;

        Strategy(String wireName) {
            this.wireName = wireName;
        }

        static Strategy fromWire(String name) {
            for (Strategy s : values()) {
                if (s.wireName.equals(name)) {
                    return s;
                }
            }
            throw new InvalidInputException("field \"strategy\" must be \"alternating-users\" or \"single-user\", got '"
                    + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'");
        }
    }

    /**
     * Reads and checks the settings of a secret value.
     *
     * @throws InvalidInputException naming the bad field
     */
    static WeaviateSecret parse(SecretValue value, RotatorConfig config) {
        URI endpoint = Endpoints.check(value.require("endpoint"), "endpoint", config);
        String userId = userName(value, "userId").orElseThrow(() ->
                new InvalidInputException("field \"userId\" is missing or empty"));
        value.require("apiKey");
        Optional<String> alternate = userName(value, "alternateUserId");
        Strategy strategy = strategy(value, alternate.isPresent());
        if (strategy == Strategy.ALTERNATING_USERS && alternate.isEmpty()) {
            throw new InvalidInputException("strategy alternating-users needs field \"alternateUserId\": a second"
                    + " Weaviate user (created on the first rotation if it does not exist)");
        }
        if (alternate.isPresent() && alternate.get().equals(userId)) {
            throw new InvalidInputException("fields \"userId\" and \"alternateUserId\" must name two different users,"
                    + " both are '" + userId + "'");
        }
        Object self = value.fields().get("selfManaged");
        if (self != null && !(self instanceof Boolean)) {
            throw new InvalidInputException("field \"selfManaged\" must be true or false");
        }
        boolean selfManaged = Boolean.TRUE.equals(self);
        Optional<String> adminArn = value.string("adminSecretArn");
        if (selfManaged && strategy == Strategy.SINGLE_USER) {
            throw new InvalidInputException("\"selfManaged\": true is not allowed with strategy single-user: rotate-key"
                    + " revokes the key that made the call, so a lost answer would lock the user out; set \"adminSecretArn\"");
        }
        if (adminArn.isEmpty() && !selfManaged) {
            throw new InvalidInputException("field \"adminSecretArn\" is missing: name the secret holding a Weaviate admin"
                    + " key ({\"apiKey\": \"...\"}); the rotated key never manages users unless \"selfManaged\": true");
        }
        return new WeaviateSecret(trimSlash(endpoint), strategy, userId, alternate, adminArn,
                value.string("adminKeyField").orElse("apiKey"), selfManaged,
                retirement(value, config.retirement()), verification(value, config.verification()));
    }

    private static Strategy strategy(SecretValue value, boolean hasAlternate) {
        Optional<String> strategy = value.string("strategy");
        if (strategy.isPresent()) {
            return Strategy.fromWire(strategy.get());
        }
        if (hasAlternate) {
            return Strategy.ALTERNATING_USERS;
        }
        throw new InvalidInputException("field \"alternateUserId\" is missing: set it for the zero-downtime"
                + " alternating-users strategy, or set \"strategy\": \"single-user\" to accept a brief gap at each rotation");
    }

    private static Optional<String> userName(SecretValue value, String field) {
        Optional<String> name = value.string(field);
        if (name.isPresent() && !USER_NAME.matcher(name.get()).matches()) {
            throw new InvalidInputException("field \"" + field + "\" is not a valid Weaviate user name"
                    + " (a letter, then up to 127 letters, digits, '-', '_', '@' or '.')");
        }
        return name;
    }

    private static URI trimSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    static Retirement retirement(SecretValue value, Retirement defaults) {
        Optional<SecretValue> o = value.object("retirement");
        if (o.isEmpty()) {
            return defaults;
        }
        return new Retirement(
                duration(o.get(), "retirement", "gracePeriod", defaults.gracePeriod()),
                duration(o.get(), "retirement", "quietPeriod", defaults.quietPeriod()),
                duration(o.get(), "retirement", "deleteAfter", defaults.deleteAfter()));
    }

    static Verification verification(SecretValue value, Verification defaults) {
        Optional<SecretValue> o = value.object("verification");
        if (o.isEmpty()) {
            return defaults;
        }
        Duration timeout = duration(o.get(), "verification", "timeout", defaults.timeout());
        Object n = o.get().fields().get("consecutiveSuccesses");
        int successes = defaults.consecutiveSuccesses();
        if (n != null) {
            if (!(n instanceof Number number) || number.intValue() < 1 || number.intValue() > 20
                    || number.doubleValue() != number.intValue()) {
                throw new InvalidInputException("field \"verification.consecutiveSuccesses\" must be an integer from 1 to 20");
            }
            successes = number.intValue();
        }
        return new Verification(timeout, successes);
    }

    private static Duration duration(SecretValue o, String parent, String field, Duration fallback) {
        Optional<String> text = o.string(field);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(text.get().trim());
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", text.get(), 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("field \"" + parent + "." + field
                    + "\" must be a non-negative ISO-8601 duration such as PT4H");
        }
    }

    /** The user that is not in {@code AWSCURRENT} (alternating-users only). */
    String idleUserId() {
        return alternateUserId.orElseThrow();
    }

    /** The endpoint's host, for messages. */
    String host() {
        return endpoint.getHost();
    }
}
