package dev.secretrotator.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Plays the Secrets Manager service against an emulator that cannot run Lambda (design.md §7):
 * {@code RotateSecret} naming a function that does not exist stages the pending version exactly
 * as the service does; then the four steps go through the real handler with the real event
 * JSON; a failed rotation is retried from createSecret with the same token, as the service
 * retries; afterwards {@code AWSPENDING} is removed from the new current version, as the service
 * does and moto does not. A {@link Fault} can fail the rotation before or after any step.
 */
public final class ServiceDriver {
    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:secret-rotator-under-test";

    private final SecretsManagerClient client;
    private final RequestStreamHandler handler;
    private final List<String> rotationTokens = new CopyOnWriteArrayList<>();
    private int maxAttempts = 5;

    /** Where a fault may strike: before a step runs, or after it ran but before the service saw it succeed. */
    public enum Phase { BEFORE, AFTER }

    /** Decides whether to fail the rotation at a point; throw to fail. */
    @FunctionalInterface
    public interface Fault {
        void at(String step, Phase phase, int attempt);

        Fault NONE = (step, phase, attempt) -> {};

        /** Fails once, the first time the rotation reaches {@code step} in {@code phase}. */
        static Fault once(String step, Phase phase) {
            return (s, p, attempt) -> {
                if (attempt == 1 && s.equals(step) && p == phase) {
                    throw new InjectedFault("injected failure " + phase + " " + step);
                }
            };
        }
    }

    /** The failure a {@link Fault} throws. */
    public static final class InjectedFault extends RuntimeException {
        public InjectedFault(String message) {
            super(message);
        }
    }

    /**
     * What one rotation did.
     *
     * @param token the version token
     * @param attempts how many attempts it took
     * @param failures the failure of each failed attempt
     */
    public record Result(String token, int attempts, List<RuntimeException> failures) {}

    public ServiceDriver(SecretsManagerClient client, RequestStreamHandler handler) {
        this.client = client;
        this.handler = handler;
    }

    public ServiceDriver maxAttempts(int value) {
        this.maxAttempts = value;
        return this;
    }

    /** Every rotation token this driver sent (sensitive: tests check none is printed). */
    public List<String> rotationTokensSent() {
        return List.copyOf(rotationTokens);
    }

    /** {@code RotateSecret}: enables rotation if needed and stages a new empty version AWSPENDING. */
    public String startRotation(String secretId) {
        String token = UUID.randomUUID().toString();
        try {
            client.rotateSecret(b -> b.secretId(secretId).clientRequestToken(token).rotationLambdaARN(FUNCTION_ARN)
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
            throw new IllegalStateException("RotateSecret unexpectedly found function " + FUNCTION_ARN);
        } catch (ResourceNotFoundException expected) {
            // the emulator has no Lambda: the pending version is staged, the invocation is ours to make
        }
        return token;
    }

    /**
     * Turns rotation on without rotating, as a deployment does: {@link #startRotation}, then the
     * staged version's {@code AWSPENDING} taken off again (the emulator cannot run the function).
     */
    public void enableRotation(String secretId) {
        String token = startRotation(secretId);
        client.updateSecretVersionStage(b -> b.secretId(secretId).versionStage("AWSPENDING").removeFromVersionId(token));
    }

    /**
     * The service's configuration test ({@code RotateSecret} with {@code RotateImmediately=false}):
     * stages a new version {@code AWSPENDING}, invokes testSecret only, then takes the version's
     * label off again, whatever the outcome. The documentation does not say what that version
     * holds: {@code copyOfCurrent} stages the current value in it (moto's reading), otherwise it
     * stays empty.
     *
     * @return the version token of the test
     */
    public String testConfiguration(String secretId, boolean copyOfCurrent) {
        String token = UUID.randomUUID().toString();
        try {
            client.rotateSecret(b -> b.secretId(secretId).clientRequestToken(token).rotationLambdaARN(FUNCTION_ARN)
                    .rotationRules(r -> r.automaticallyAfterDays(30L)).rotateImmediately(copyOfCurrent ? false : null));
            throw new IllegalStateException("RotateSecret unexpectedly found function " + FUNCTION_ARN);
        } catch (ResourceNotFoundException expected) {
            // the emulator has no Lambda: the version is staged, the invocation is ours to make
        }
        try {
            invoke("testSecret", secretId, token);
        } finally {
            cleanUpPending(secretId, token);
        }
        return token;
    }

    /** A whole rotation, retried like the service until it succeeds or attempts run out. */
    public Result rotate(String secretId) {
        return rotate(secretId, Fault.NONE);
    }

    public Result rotate(String secretId, Fault fault) {
        String token = startRotation(secretId);
        return complete(secretId, token, fault);
    }

    /** Runs the steps of a started rotation, with the service's retries. */
    public Result complete(String secretId, String token, Fault fault) {
        List<RuntimeException> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                runSteps(secretId, token, fault, attempt);
                cleanUpPending(secretId, token);
                return new Result(token, attempt, failures);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        throw new RotationFailed(secretId, token, failures);
    }

    private void runSteps(String secretId, String token, Fault fault, int attempt) {
        for (String step : EventFixtures.STEPS) {
            fault.at(step, Phase.BEFORE, attempt);
            invoke(step, secretId, token);
            fault.at(step, Phase.AFTER, attempt);
        }
    }

    /** One Lambda invocation with the event JSON the service sends, including a rotation token. */
    public void invoke(String step, String secretId, String token) {
        String rotationToken = UUID.randomUUID().toString();
        rotationTokens.add(rotationToken);
        invokeRaw(EventFixtures.rotation(step, secretId, token, rotationToken));
    }

    /** Invokes the handler with any payload, as Lambda would. */
    public String invokeRaw(String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void cleanUpPending(String secretId, String token) {
        var stages = client.describeSecret(b -> b.secretId(secretId)).versionIdsToStages().get(token);
        if (stages != null && stages.contains("AWSPENDING")) {
            client.updateSecretVersionStage(b -> b.secretId(secretId).versionStage("AWSPENDING").removeFromVersionId(token));
        }
    }

    /** Every attempt of a rotation failed. */
    public static final class RotationFailed extends RuntimeException {
        private final List<RuntimeException> failures;

        RotationFailed(String secretId, String token, List<RuntimeException> failures) {
            super("rotation of " + secretId + " (version " + token + ") failed " + failures.size()
                    + " times; last: " + failures.get(failures.size() - 1).getMessage(), failures.get(failures.size() - 1));
            this.failures = List.copyOf(failures);
        }

        public List<RuntimeException> failures() {
            return failures;
        }
    }
}
