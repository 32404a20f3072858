package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.Retirement;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.provider.Policies;
import dev.secretrotator.provider.SecretValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The timings one secret rotates with. Retirement: the secret's {@code "retirement"} object over
 * the function's configuration ({@link Policies}). Verification: each setting from the secret's
 * {@code "verification"} object if set there, else from the profile's {@code "propagation"}
 * (vendor knowledge: documented delays), else from the function's configuration.
 *
 * @param retirement grace period, quiet period, deletion hold
 * @param verifyTimeout how long testSecret polls at most
 * @param consecutiveSuccesses verify successes in a row that prove a new key
 * @param pollInterval pause between two verify calls
 */
record Timing(Retirement retirement, Duration verifyTimeout, int consecutiveSuccesses, Duration pollInterval) {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    static Timing of(SecretValue secret, Profile profile, RotatorConfig config) {
        Retirement retirement = Policies.retirement(secret, config);
        Optional<SecretValue> verification = secret.object("verification");
        Profile.Propagation p = profile.propagation();
        Duration timeout = duration(verification, "verification", "timeout")
                .or(p::timeout).orElse(config.verification().timeout());
        Duration interval = duration(verification, "verification", "pollInterval")
                .or(p::pollInterval).orElse(DEFAULT_POLL_INTERVAL);
        int successes = successes(verification).orElse(p.consecutiveSuccesses().isPresent()
                ? p.consecutiveSuccesses().getAsInt() : config.verification().consecutiveSuccesses());
        if (interval.isZero() || timeout.isZero()) {
            throw new InvalidInputException("verification timeout and pollInterval must be positive");
        }
        return new Timing(retirement, timeout, successes, interval);
    }

    private static Optional<Duration> duration(Optional<SecretValue> object, String parent, String field) {
        return object.flatMap(o -> o.string(field)).map(text -> {
            try {
                Duration value = Duration.parse(text);
                if (value.isNegative()) {
                    throw new InvalidInputException("field \"" + parent + "." + field + "\" must not be negative");
                }
                return value;
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("field \"" + parent + "." + field
                        + "\" must be an ISO-8601 duration such as PT24H");
            }
        });
    }

    private static Optional<Integer> successes(Optional<SecretValue> verification) {
        return verification.map(v -> v.fields().get("consecutiveSuccesses")).map(value -> {
            if (!(value instanceof Integer i) || i < 1 || i > 100) {
                throw new InvalidInputException("field \"verification.consecutiveSuccesses\" must be a whole number from 1 to 100");
            }
            return i;
        });
    }
}
