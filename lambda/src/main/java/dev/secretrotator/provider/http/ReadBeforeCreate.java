package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.http.Profile.Call;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Profile format version 2: what a new key inherits from the current one. Before the create
 * call, the profile's {@code current} call reads the current key's attributes (scopes, access
 * level, policies, expiry) and each named field becomes the variable {@code {current.<field>}}
 * of the create template, with its JSON value (an array of scopes, an object of policies). The
 * {@code expiry} block gives the variable {@code {newExpiry}}: now plus the secret's
 * {@code keyLifetime}, else the current key's own lifetime (from its issue and expiry times),
 * else the profile's default lifetime; absent when none applies (a key that never expires).
 * Stateless; the answer of the read, which may describe a credential, is never logged.
 */
final class ReadBeforeCreate {
    static final String PREFIX = "current.";
    static final String NEW_EXPIRY = "newExpiry";
    /** The secret field that overrides a new key's lifetime (an ISO-8601 duration such as P90D). */
    static final String LIFETIME_FIELD = "keyLifetime";

    /**
     * @param call the read, about the current key ({@code {keyId}})
     * @param withKey whether the current key authenticates it (else the management credential)
     * @param fields variable name (without {@code current.}) to JSON pointer into the answer
     */
    record Current(Call call, boolean withKey, Map<String, String> fields) {}

    /** How {@code {newExpiry}} is written. */
    enum ExpiryFormat {
        /** {@code YYYY-MM-DD}, UTC (GitLab's {@code expires_at}). */
        DATE,
        /** an instant such as {@code 2026-12-06T05:00:00Z} (Cloudflare's {@code expires_on}). */
        ISO_8601,
        /** seconds since the epoch, a number. */
        EPOCH_SECONDS,
        /** the lifetime itself in seconds, a number (Databricks' {@code lifetime_seconds}). */
        LIFETIME_SECONDS,
        /** the lifetime itself in whole hours, a number (MongoDB Atlas' {@code secretExpiresAfterHours}). */
        LIFETIME_HOURS
    }

    /**
     * @param format how the new expiry is written
     * @param lifetime the default lifetime of a new key, if the profile has one
     * @param issuedField the {@code current} field holding the current key's issue time, if any
     * @param expiresField the {@code current} field holding its expiry, if any
     */
    record Expiry(ExpiryFormat format, Optional<Duration> lifetime, Optional<String> issuedField,
            Optional<String> expiresField) {}

    private ReadBeforeCreate() {}

    /**
     * The variables the create call gets: {@code current.*} from the read (when the profile has
     * one) and {@code newExpiry} (when the profile has an expiry block and a lifetime applies).
     *
     * @param keyCredential the current key's credential, for a read the key authenticates
     */
    static Map<String, Object> variables(Target target, KeyApi api, Credential management,
            Supplier<Credential> keyCredential, Clock clock) {
        Profile profile = target.profile();
        Map<String, Object> vars = new LinkedHashMap<>();
        profile.current().ifPresent(current -> {
            Object answer = api.read(current.call(), current.withKey() ? keyCredential.get() : management);
            current.fields().forEach((name, pointer) ->
                    JsonPointer.find(answer, pointer).ifPresent(value -> vars.put(PREFIX + name, value)));
        });
        profile.expiry().ifPresent(expiry -> lifetime(expiry, target.secret().string(LIFETIME_FIELD), vars).ifPresent(lifetime -> {
            checkLifetime(lifetime, target.timing());
            vars.put(NEW_EXPIRY, format(expiry.format(), lifetime, clock.instant()));
        }));
        return vars;
    }

    /**
     * Checks the new key's lifetime before any request when it does not depend on the current key
     * (the secret's {@code keyLifetime}, or the profile's default where the profile does not inherit
     * the current key's lifetime); an inherited lifetime is checked once read ({@link #variables}).
     */
    static void checkKnownLifetime(Target target) {
        target.profile().expiry().ifPresent(expiry -> {
            Optional<Duration> known = target.secret().string(LIFETIME_FIELD).map(ReadBeforeCreate::lifetimeField)
                    .or(() -> expiry.issuedField().isEmpty() ? expiry.lifetime() : Optional.empty());
            known.ifPresent(lifetime -> checkLifetime(lifetime, target.timing()));
        });
    }

    /**
     * A new key must outlive its own rotation's retirement of the key before it: the grace period,
     * the quiet period and the deletion hold together. (It should also outlive the rotation
     * interval, which the function does not know: docs/providers/http-api-key.md.)
     *
     * @throws InvalidInputException before any key is made, if it would not
     */
    static void checkLifetime(Duration lifetime, Timing timing) {
        var r = timing.retirement();
        Duration floor = r.gracePeriod().plus(r.quietPeriod()).plus(r.deleteAfter());
        if (lifetime.compareTo(floor) <= 0) {
            throw new InvalidInputException("a new key would live " + lifetime + " (field \"" + LIFETIME_FIELD
                    + "\", the current key's lifetime, or the profile's default), not longer than the grace period,"
                    + " quiet period and deletion hold together (" + floor + "): it could expire before the key it"
                    + " replaces is retired. Raise \"" + LIFETIME_FIELD + "\" above the rotation interval; nothing was created");
        }
    }

    /** Sample values for every variable the profile can produce, to check templates without a request. */
    static Map<String, Object> sample(Profile profile) {
        Map<String, Object> vars = new LinkedHashMap<>();
        profile.current().ifPresent(c -> c.fields().keySet().forEach(name -> vars.put(PREFIX + name, "x")));
        profile.expiry().ifPresent(e -> vars.put(NEW_EXPIRY, "x"));
        return vars;
    }

    /**
     * The value of {@code {newExpiry}}: now plus the secret's {@code keyLifetime}, else the current
     * key's own lifetime, else the profile's default; empty when none applies.
     *
     * @param current the {@code current.*} variables the read produced
     */
    static Optional<Object> newExpiry(Expiry expiry, Optional<String> keyLifetime, Map<String, Object> current, Instant now) {
        return lifetime(expiry, keyLifetime, current).map(l -> format(expiry.format(), l, now));
    }

    /** The secret's {@code keyLifetime}, else the current key's own lifetime, else the profile's default. */
    static Optional<Duration> lifetime(Expiry expiry, Optional<String> keyLifetime, Map<String, Object> current) {
        return keyLifetime.map(ReadBeforeCreate::lifetimeField)
                .or(() -> currentLifetime(expiry, current))
                .or(expiry::lifetime);
    }

    private static Object format(ExpiryFormat format, Duration l, Instant now) {
        return switch (format) {
            case DATE -> LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(Math.max(1, l.toDays())).toString();
            case ISO_8601 -> now.plus(l).truncatedTo(ChronoUnit.SECONDS).toString();
            case EPOCH_SECONDS -> now.plus(l).getEpochSecond();
            case LIFETIME_SECONDS -> l.toSeconds();
            case LIFETIME_HOURS -> l.toHours();
        };
    }

    /** The current key's own lifetime, when the read gave both its issue and expiry times. */
    private static Optional<Duration> currentLifetime(Expiry expiry, Map<String, Object> current) {
        if (expiry.issuedField().isEmpty() || expiry.expiresField().isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> issued = instant(current.get(PREFIX + expiry.issuedField().get()));
        Optional<Instant> expires = instant(current.get(PREFIX + expiry.expiresField().get()));
        if (issued.isEmpty() || expires.isEmpty()) {
            return Optional.empty();
        }
        Duration lifetime = expiry.format() == ExpiryFormat.DATE
                ? Duration.ofDays(ChronoUnit.DAYS.between(LocalDate.ofInstant(issued.get(), ZoneOffset.UTC),
                        LocalDate.ofInstant(expires.get(), ZoneOffset.UTC)))
                : Duration.between(issued.get(), expires.get());
        return lifetime.isNegative() || lifetime.isZero() ? Optional.empty() : Optional.of(lifetime);
    }

    /** A time as vendors write it: a date, an ISO-8601 date-time, or epoch seconds or milliseconds; negative: none. */
    static Optional<Instant> instant(Object value) {
        if (value instanceof Number n) {
            long v = n.longValue();
            return v <= 0 ? Optional.empty() : Optional.of(v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v));
        }
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration lifetimeField(String text) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new InvalidInputException("field \"" + LIFETIME_FIELD + "\" must be a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("field \"" + LIFETIME_FIELD + "\" must be an ISO-8601 duration such as P90D");
        }
    }
}
