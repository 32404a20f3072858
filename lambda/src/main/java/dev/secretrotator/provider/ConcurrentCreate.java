package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.TargetServiceException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * For providers whose createSecret cleans up credentials an earlier, failed attempt of the same
 * rotation left behind: such a credential may instead belong to another invocation of the same
 * step that is still running (Lambda retries can overlap) and is about to store it. Before
 * removing one, a provider waits {@link #IN_FLIGHT} for the pending value to appear, and takes the
 * stored value if it does. Stateless.
 */
public final class ConcurrentCreate {
    /** Longer than one Secrets Manager call with its retries (the SDK's call timeout is 25 s). */
    public static final Duration IN_FLIGHT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(250);

    private ConcurrentCreate() {}

    /**
     * The pending value stored for this rotation (by another invocation: the engine calls
     * createCredential only while none is), its credentials registered with the redactor.
     */
    public static Optional<SecretValue> stored(StepContext context) {
        String json;
        try {
            json = context.services().client(SecretsManagerClient.class).getSecretValue(b -> b.secretId(context.secretArn())
                    .versionId(context.versionId()).versionStage("AWSPENDING")).secretString();
        } catch (ResourceNotFoundException none) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new TargetServiceException("Secrets Manager GetSecretValue(AWSPENDING) failed: "
                    + e.getClass().getSimpleName() + "; Secrets Manager retries the rotation", e);
        }
        if (json == null) {
            return Optional.empty();
        }
        try {
            SecretValue value = SecretValue.parse(json);
            value.sensitiveValues().forEach(context.services().telemetry().redactor()::register);
            return Optional.of(value);
        } catch (InvalidInputException notOurs) {
            return Optional.empty();
        }
    }

    /**
     * Waits one poll interval, within the function's deadline.
     *
     * @param awaiting what is awaited, for the deadline's message (no values)
     */
    public static void pause(String awaiting) {
        if (!Deadline.current().allows(POLL)) {
            throw Deadline.current().exceeded("waiting for " + awaiting);
        }
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException("interrupted while waiting for " + awaiting);
        }
    }
}
