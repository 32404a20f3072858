package dev.secretrotator.cli;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.RotateSecretRequest;

/**
 * Drives one whole rotation the way Secrets Manager does: {@code RotateSecret} stages a new
 * version {@code AWSPENDING}, then the four steps run through the real handler with the JSON
 * the service sends.
 *
 * <p>When the secret's rotation function exists (real AWS), {@code RotateSecret} makes the
 * service run that function, and this class only reports it. When it does not (an emulator
 * without Lambda), the service leaves the pending version and this class runs the steps in
 * process.
 */
final class LocalRotation {
    /** Told about each stage of a rotation. */
    interface Listener {
        void started(String secretArn, String token, boolean local);

        void stepDone(Step step, long millis);
    }

    private final SecretsManagerClient client;
    private final RequestStreamHandler handler;

    LocalRotation(SecretsManagerClient client, RequestStreamHandler handler) {
        this.client = client;
        this.handler = handler;
    }

    /** Rotates once; returns the new version id. */
    String rotate(String secretId, Listener listener) {
        SecretMetadata meta = new SecretStore(client).describe(secretId);
        String token = UUID.randomUUID().toString();
        boolean local = start(meta, token);
        listener.started(meta.arn(), token, local);
        if (local) {
            for (Step step : Step.values()) {
                long t0 = System.nanoTime();
                invoke(step, meta.arn(), token);
                listener.stepDone(step, (System.nanoTime() - t0) / 1_000_000);
            }
        }
        return token;
    }

    /** Starts the rotation; true when the steps must be driven here. */
    private boolean start(SecretMetadata meta, String token) {
        RotateSecretRequest.Builder request = RotateSecretRequest.builder()
                .secretId(meta.arn()).clientRequestToken(token)
                .rotationLambdaARN(meta.rotationLambdaArn().orElseGet(() -> placeholderFunction(meta.arn())));
        if (!meta.rotationEnabled()) {
            request.rotationRules(r -> r.automaticallyAfterDays(30L));
        }
        try {
            client.rotateSecret(request.build());
            return false;
        } catch (ResourceNotFoundException e) {
            // No such function here: the service staged the pending version and stopped.
            SecretMetadata after = new SecretStore(client).describe(meta.arn());
            if (!after.hasStage(token, SecretMetadata.PENDING)) {
                throw new IllegalStateException("RotateSecret failed and staged no pending version: "
                        + e.awsErrorDetails().errorMessage());
            }
            return true;
        }
    }

    void invoke(Step step, String secretArn, String token) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Step", step.wireName());
        event.put("SecretId", secretArn);
        event.put("ClientRequestToken", token);
        try {
            handler.handleRequest(new ByteArrayInputStream(JSON.std.asBytes(event)),
                    new ByteArrayOutputStream(), new LocalContext("rotate"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String placeholderFunction(String secretArn) {
        String[] parts = secretArn.split(":", 6); // arn:partition:service:region:account:resource
        return "arn:" + parts[1] + ":lambda:" + parts[3] + ":" + parts[4] + ":function:secret-rotator-local";
    }
}
