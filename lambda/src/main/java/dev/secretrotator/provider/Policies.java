package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.Retirement;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.config.Verification;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Per-secret overrides of the function's retirement and verification defaults: optional
 * {@code "retirement"} and {@code "verification"} objects in the secret, ISO-8601 durations.
 */
public final class Policies {
    private Policies() {}

    public static Retirement retirement(SecretValue secret, RotatorConfig config) {
        Retirement d = config.retirement();
        return secret.object("retirement").map(r -> new Retirement(
                duration(r, "retirement.gracePeriod", "gracePeriod", d.gracePeriod()),
                duration(r, "retirement.quietPeriod", "quietPeriod", d.quietPeriod()),
                duration(r, "retirement.deleteAfter", "deleteAfter", d.deleteAfter()))).orElse(d);
    }

    public static Verification verification(SecretValue secret, RotatorConfig config) {
        Verification d = config.verification();
        return secret.object("verification").map(v -> new Verification(
                duration(v, "verification.timeout", "timeout", d.timeout()),
                successes(v, d.consecutiveSuccesses()))).orElse(d);
    }

    private static Duration duration(SecretValue object, String path, String field, Duration fallback) {
        return object.string(field).map(text -> {
            try {
                Duration value = Duration.parse(text);
                if (value.isNegative()) {
                    throw new InvalidInputException("field \"" + path + "\" must not be negative, got " + text);
                }
                return value;
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("field \"" + path + "\" must be an ISO-8601 duration such as PT24H, got '" + text + "'");
            }
        }).orElse(fallback);
    }

    private static int successes(SecretValue object, int fallback) {
        Object value = object.fields().get("consecutiveSuccesses");
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.intValue() < 1 || n.intValue() > 100) {
            throw new InvalidInputException("field \"verification.consecutiveSuccesses\" must be a whole number from 1 to 100");
        }
        return n.intValue();
    }
}
