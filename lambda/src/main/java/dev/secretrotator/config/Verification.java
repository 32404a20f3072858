package dev.secretrotator.config;

import java.time.Duration;

/**
 * How long testSecret polls a new credential, and how many successes in a row prove it.
 *
 * @param timeout the whole polling budget; keep it below the function's timeout
 * @param consecutiveSuccesses successes in a row required (eventual consistency can flap)
 */
public record Verification(Duration timeout, int consecutiveSuccesses) {
    public static final Verification DEFAULT = new Verification(Duration.ofSeconds(60), 3);
}
