package dev.secretrotator.provider.weaviate;

import dev.secretrotator.TargetServiceException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.config.Verification;
import dev.secretrotator.provider.Deadline;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Proves a key works: {@code GET /v1/users/own-info} with it must answer the expected user name
 * {@code consecutiveSuccesses} times in a row within {@code timeout} (a cluster may accept a new
 * key on one node before another). Polls with a bounded exponential backoff, never a fixed sleep,
 * and stops before the function's timeout ({@link Deadline#current()}).
 * Stateless; thread-safe.
 */
final class KeyVerifier {
    static final Duration FIRST_DELAY = Duration.ofMillis(50);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    /** Where own-info is asked: {@link WeaviateClient#ownInfo}, or a fake in tests. */
    @FunctionalInterface
    interface OwnInfoCall {
        WeaviateClient.OwnInfo ownInfo(String key);
    }

    /** Sleeps; tests replace it. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    KeyVerifier(Sleeper sleeper, LongSupplier nanoTime) {
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    static KeyVerifier system() {
        return new KeyVerifier(d -> Thread.sleep(d.toMillis()), System::nanoTime);
    }

    /**
     * @return how many own-info calls it took
     * @throws VerificationException if the key authenticates as another user, or does not work
     *     {@code consecutiveSuccesses} times in a row in time
     */
    int verify(OwnInfoCall client, String key, String expectedUser, Verification verification) {
        long deadline = nanoTime.getAsLong() + verification.timeout().toNanos();
        int successes = 0;
        int calls = 0;
        String last = "no answer";
        Duration delay = FIRST_DELAY;
        while (true) {
            WeaviateClient.OwnInfo answer = client.ownInfo(key);
            calls++;
            boolean answered = answer.status() == 200 && answer.username().isPresent();
            if (answered && answer.username().get().equals(expectedUser)) {
                successes++;
                if (successes >= verification.consecutiveSuccesses()) {
                    return calls;
                }
                delay = FIRST_DELAY;
            } else if (answered) {
                throw new VerificationException("the pending key authenticates as user '" + answer.username().get()
                        + "', not '" + expectedUser + "'; the secret's userId and apiKey do not belong together");
            } else {
                successes = 0;
                last = answer.summary();
                delay = min(delay.multipliedBy(2), MAX_DELAY);
            }
            long left = deadline - nanoTime.getAsLong();
            Duration next = min(delay, Duration.ofNanos(Math.max(0, left)));
            if (left > 0 && !Deadline.current().allows(next)) {
                throw Deadline.current().exceeded("verifying the pending key of user '" + expectedUser + "' ("
                        + calls + " calls, last: " + last + ")");
            }
            if (left <= 0) {
                throw new VerificationException("the pending key of user '" + expectedUser + "' did not answer GET"
                        + " /v1/users/own-info successfully " + verification.consecutiveSuccesses() + " times in a row within "
                        + verification.timeout() + " (" + calls + " calls, last: " + last + "); AWSCURRENT is unchanged");
            }
            pause(next);
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException("verification was interrupted", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
