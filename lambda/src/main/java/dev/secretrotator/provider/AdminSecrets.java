package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.TargetServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads an admin secret (the identity that manages users or keys on a target) named by a
 * secret's {@code adminSecretArn}, always at {@code AWSCURRENT}. Every credential read is
 * registered with the redactor. Errors name the field and the ARN, never a value.
 */
public final class AdminSecrets {
    private AdminSecrets() {}

    /**
     * @param arn the admin secret's ARN or name
     * @param field the field of the admin secret that holds the credential (e.g. {@code apiKey})
     */
    public static String read(String arn, String field, ProviderServices services) {
        String json;
        try {
            json = services.client(SecretsManagerClient.class).getSecretValue(GetSecretValueRequest.builder()
                    .secretId(arn).versionStage("AWSCURRENT").build()).secretString();
        } catch (ResourceNotFoundException e) {
            throw new InvalidInputException("the admin secret " + arn + " (field \"adminSecretArn\") does not exist"
                    + " or has no AWSCURRENT value");
        } catch (SdkException e) {
            throw new TargetServiceException("reading the admin secret " + arn + " failed: "
                    + e.getClass().getSimpleName() + "; check the function may read it (and decrypt its KMS key)", e);
        }
        SecretValue admin;
        try {
            admin = SecretValue.parse(json);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the admin secret " + arn + " is malformed: " + e.reason());
        }
        admin.sensitiveValues().forEach(services.telemetry().redactor()::register);
        String value = admin.string(field).orElseThrow(() -> new InvalidInputException(
                "the admin secret " + arn + " has no \"" + field + "\" field"));
        services.telemetry().redactor().register(value);
        return value;
    }
}
