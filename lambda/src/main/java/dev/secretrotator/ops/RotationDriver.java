package dev.secretrotator.ops;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.engine.RotationRequest;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.Step;
import dev.secretrotator.provider.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.RotateSecretRequest;

/**
 * Runs one whole rotation the way Secrets Manager does: {@code RotateSecret}, against the
 * secret's configured rotation (its function, its schedule; nothing is enabled or invented
 * here), stages a new version {@code AWSPENDING}; when the rotation function exists (real AWS) the service
 * runs it and this class waits, bounded, for the new version to become current; when it does not
 * (an emulator without Lambda, where the service stages the version and stops) the four steps
 * run here through the given step runner.
 */
public final class RotationDriver {
    static final Duration POLL = Duration.ofSeconds(2);

    /** Told about each stage of a rotation. */
    public interface Listener {
        void started(String secretArn, String token, boolean local);

        void stepDone(Step step, long millis);

        Listener SILENT = new Listener() {
            @Override
            public void started(String secretArn, String token, boolean local) {}

            @Override
            public void stepDone(Step step, long millis) {}
        };
    }

    private final SecretsManagerClient client;
    private final Consumer<RotationRequest> steps;
    private final Duration serviceTimeout;

    /**
     * @param steps runs one step in this process (the engine, or the handler with event JSON)
     * @param serviceTimeout how long to wait for the service to finish a rotation it runs
     */
    public RotationDriver(SecretsManagerClient client, Consumer<RotationRequest> steps, Duration serviceTimeout) {
        this.client = client;
        this.steps = steps;
        this.serviceTimeout = serviceTimeout;
    }

    /**
     * Rotates once; returns the new current version id.
     *
     * @throws RotationStateException when rotation is off for the secret, before any change
     */
    public String rotate(String secretId, Listener listener) {
        return rotate(secretId, listener, "");
    }

    /**
     * Rotates once, with a version id that starts with {@code tokenPrefix} (an emergency rotation
     * marks its version so that the staging gate lets it through); returns the new current version id.
     */
    public String rotate(String secretId, Listener listener, String tokenPrefix) {
        SecretStore store = new SecretStore(client);
        SecretMetadata meta = store.describe(secretId);
        requireRotationEnabled(meta, "a rotation");
        String token = tokenPrefix + UUID.randomUUID();
        boolean local = start(store, meta, token);
        listener.started(meta.arn(), token, local);
        if (local) {
            for (Step step : Step.values()) {
                long t0 = System.nanoTime();
                steps.accept(new RotationRequest(step, meta.arn(), token, Optional.empty()));
                listener.stepDone(step, (System.nanoTime() - t0) / 1_000_000);
            }
        } else {
            awaitService(store, meta.arn(), token);
        }
        return token;
    }

    /**
     * Refuses a secret whose rotation is off (or has no function), saying how to turn it on.
     *
     * @param what what would have run, for the message ("an emergency rotation")
     */
    public static void requireRotationEnabled(SecretMetadata meta, String what) {
        if (!meta.rotationEnabled() || meta.rotationLambdaArn().isEmpty()) {
            throw new RotationStateException("rotation is not enabled for secret " + meta.arn() + "; " + what
                    + " runs the secret's configured rotation and does not turn it on. Nothing was changed. Enable it"
                    + " first (the deployment's rotation schedule, or: aws secretsmanager rotate-secret --secret-id "
                    + meta.arn() + " --rotation-lambda-arn <this function's ARN> --rotation-rules"
                    + " AutomaticallyAfterDays=30, which also rotates once), then run it again");
        }
    }

    /** Starts the rotation; true when the steps must run here. */
    private boolean start(SecretStore store, SecretMetadata meta, String token) {
        // The configured function, named again: the call changes nothing of the configuration
        // (an emulator would otherwise clear it and move AWSCURRENT itself).
        RotateSecretRequest request = RotateSecretRequest.builder().secretId(meta.arn()).clientRequestToken(token)
                .rotationLambdaARN(meta.rotationLambdaArn().orElseThrow()).build();
        try {
            client.rotateSecret(request);
            return false;
        } catch (ResourceNotFoundException e) {
            // No such function here: the service staged the pending version and stopped.
            if (!store.describe(meta.arn()).hasStage(token, SecretMetadata.PENDING)) {
                throw new TargetServiceException("RotateSecret failed and staged no pending version: "
                        + e.awsErrorDetails().errorCode());
            }
            return true;
        }
    }

    private void awaitService(SecretStore store, String arn, String token) {
        long deadline = System.nanoTime() + serviceTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (store.describe(arn).hasStage(token, SecretMetadata.CURRENT)) {
                return;
            }
            if (!Deadline.current().allows(POLL)) {
                throw Deadline.current().exceeded("waiting for Secrets Manager to finish rotation " + token);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new TargetServiceException("Secrets Manager started rotation " + token + " but it did not finish within "
                + serviceTimeout + "; check the rotation function's log, then status and repair");
    }
}
