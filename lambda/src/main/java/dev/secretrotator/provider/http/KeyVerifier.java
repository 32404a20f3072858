package dev.secretrotator.provider.http;

import dev.secretrotator.TargetServiceException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.provider.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls the profile's verify call with a new key until it authenticates several times in a row
 * (a 2xx, or a status the profile accepts by name); a status that can never prove the key (a
 * wrong verify path's 404) fails at once
 * (vendors propagate new keys with delays), within a time budget. Never a fixed sleep: it stops
 * as soon as the key is proven, and before the function's timeout ({@link Deadline#current()}).
 */
final class KeyVerifier {
    private final KeyApi api;
    private final Clock clock;

    /**
     * What polling saw.
     *
     * @param calls verify calls made
     * @param elapsed time spent
     */
    record Outcome(int calls, Duration elapsed) {}

    KeyVerifier(KeyApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /**
     * @throws VerificationException if the key was not proven within {@code timing.verifyTimeout()}
     */
    Outcome await(Credential key, Timing timing) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timing.verifyTimeout());
        int calls = 0;
        int inARow = 0;
        int rejected = 0;
        String lastSeen = "";
        while (true) {
            KeyApi.Check check = api.verify(key);
            calls++;
            lastSeen = check.seen();
            if (check.verdict() == KeyApi.Verdict.UNEXPECTED) {
                throw new VerificationException("the new " + key.description() + " is not proven: "
                        + api.unexpectedVerifyAnswer(check) + "; AWSCURRENT is untouched");
            }
            if (check.verdict() == KeyApi.Verdict.AUTHENTICATES) {
                if (++inARow >= timing.consecutiveSuccesses()) {
                    return new Outcome(calls, Duration.between(start, clock.instant()));
                }
            } else {
                inARow = 0;
                rejected += check.verdict() == KeyApi.Verdict.REJECTED ? 1 : 0;
            }
            if (clock.instant().plus(timing.pollInterval()).isAfter(deadline)) {
                throw new VerificationException("the new " + key.description() + " did not authenticate "
                        + timing.consecutiveSuccesses() + " times in a row within " + timing.verifyTimeout()
                        + " (" + calls + " verify calls, " + rejected + " rejected, last answer " + lastSeen
                        + "); the vendor may still be propagating it: Secrets Manager will retry, or raise"
                        + " \"verification.timeout\" in the secret");
            }
            if (!Deadline.current().allows(timing.pollInterval())) {
                throw Deadline.current().exceeded("verifying the new " + key.description() + " (" + calls
                        + " verify calls, last answer " + lastSeen + ")");
            }
            sleep(timing.pollInterval());
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException("verification was interrupted", e);
        }
    }
}
