package dev.secretrotator.provider.iam;

import dev.secretrotator.VerificationException;
import dev.secretrotator.config.Verification;
import dev.secretrotator.provider.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Proves a new access key authenticates as its user: {@code sts:GetCallerIdentity} signed with
 * it must return the user's ARN {@code consecutiveSuccesses} times in a row within the timeout.
 * IAM is eventually consistent, so failures ({@code InvalidClientTokenId}) mean "not yet":
 * poll with bounded exponential backoff, never a fixed sleep.
 */
final class KeyVerifier {
    static final Duration FIRST_DELAY = Duration.ofMillis(200);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);
    /** The longest one GetCallerIdentity may take, retries included (shortened by the deadline). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final IamClients clients;
    private final Clock clock;
    private final Deadline functionDeadline;

    /** @param deadline the invocation's: polling stops before the function's timeout */
    KeyVerifier(IamClients clients, Clock clock, Deadline deadline) {
        this.clients = clients;
        this.clock = clock;
        this.functionDeadline = deadline;
    }

    void verify(String user, String keyId, String secretKey, Verification policy) {
        Instant deadline = clock.instant().plus(policy.timeout());
        Duration delay = FIRST_DELAY;
        int streak = 0;
        String lastProblem = "no attempt";
        try (StsClient sts = clients.stsWith(AwsBasicCredentials.create(keyId, secretKey))) {
            while (true) {
                String arn = null;
                functionDeadline.check("verifying access key " + keyId);
                try {
                    arn = sts.getCallerIdentity(r -> r.overrideConfiguration(o -> o.apiCallTimeout(functionDeadline.cap(CALL_TIMEOUT)))).arn();
                } catch (SdkException e) {
                    lastProblem = describe(e);
                }
                if (arn != null && isUser(arn, user)) {
                    if (++streak >= policy.consecutiveSuccesses()) {
                        return;
                    }
                    delay = FIRST_DELAY;
                } else {
                    streak = 0;
                    lastProblem = arn == null ? lastProblem : "GetCallerIdentity answered as " + arn + ", not user " + user;
                }
                if (!clock.instant().plus(delay).isBefore(deadline)) {
                    throw new VerificationException("access key " + keyId + " did not authenticate as user '" + user + "' "
                            + policy.consecutiveSuccesses() + " times in a row within " + policy.timeout()
                            + " (last: " + lastProblem + "); AWSCURRENT is unchanged; Secrets Manager will retry the rotation");
                }
                if (!functionDeadline.allows(delay)) {
                    throw functionDeadline.exceeded("verifying access key " + keyId + " (last: " + lastProblem + ")");
                }
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    /** Whether an ARN such as {@code arn:aws:iam::123:user/path/name} is the user's. */
    static boolean isUser(String arn, String user) {
        int at = arn.indexOf(":user/");
        return at > 0 && (arn.endsWith(":user/" + user) || arn.endsWith("/" + user) && arn.indexOf('/', at) > 0);
    }

    private static String describe(SdkException e) {
        // moto (and some proxies) answer auth failures without an error code the SDK can parse
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            return (code != null ? code : "HTTP " + ase.statusCode()) + " from STS";
        }
        return e.getClass().getSimpleName();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationException("interrupted while verifying the new access key");
        }
    }
}
