package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.TargetServiceException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Reads an admin secret (the identity that manages users or keys on a target) named by a
 * secret's {@code adminSecretArn}, always at {@code AWSCURRENT}, after checking with
 * {@code DescribeSecret} that its tags bind it to the rotated secret and the endpoint
 * ({@link AdminBinding}): a refusal happens before the value is read, so before anything is sent
 * to the target. Every credential read is registered with the redactor. Errors name the field
 * and the ARN, never a value.
 */
public final class AdminSecrets {
    private AdminSecrets() {}

    /**
     * @param arn the admin secret's ARN or name
     * @param field the field of the admin secret that holds the credential (e.g. {@code apiKey})
     * @param binding the rotated secret, the step and the endpoint the credential is for
     * @throws InvalidInputException if the admin secret's tags do not allow this use, or it lacks the field
     */
    public static String read(String arn, String field, AdminBinding binding, ProviderServices services) {
        return read(arn, java.util.List.of(field), binding, services).get(field);
    }

    /** {@link #read(String, String, AdminBinding, ProviderServices)} for several fields, with one read. */
    public static Map<String, String> read(String arn, Collection<String> fields, AdminBinding binding, ProviderServices services) {
        return read(arn, fields, binding, services, new StepMemo());
    }

    /**
     * {@link #read(String, String, AdminBinding, ProviderServices)} within a rotation step: the admin
     * secret's tags and value are read once per step ({@link StepContext#memo()}), and the binding is
     * checked at every use, before the value is read.
     */
    public static String read(String arn, String field, AdminBinding binding, StepContext context) {
        return read(arn, java.util.List.of(field), binding, context).get(field);
    }

    /** {@link #read(String, String, AdminBinding, StepContext)} for several fields. */
    public static Map<String, String> read(String arn, Collection<String> fields, AdminBinding binding, StepContext context) {
        return read(arn, fields, binding, context.services(), context.memo());
    }

    private static Map<String, String> read(String arn, Collection<String> fields, AdminBinding binding,
            ProviderServices services, StepMemo memo) {
        SecretsManagerClient client = services.client(SecretsManagerClient.class);
        binding.check(arn, memo.get("admin-secret-tags:" + arn, () -> tags(arn, binding, client)));
        String json = memo.get("admin-secret-value:" + arn, () -> value(arn, client));
        SecretValue admin;
        try {
            admin = SecretValue.parse(json);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the admin secret " + arn + " is malformed: " + e.reason());
        }
        admin.sensitiveValues().forEach(services.telemetry().redactor()::register);
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fields) {
            String value = admin.string(field).orElseThrow(() -> new InvalidInputException(
                    "the admin secret " + arn + " has no \"" + field + "\" field"));
            services.telemetry().redactor().register(value);
            values.put(field, value);
        }
        return values;
    }

    private static String value(String arn, SecretsManagerClient client) {
        try {
            return client.getSecretValue(GetSecretValueRequest.builder()
                    .secretId(arn).versionStage("AWSCURRENT").build()).secretString();
        } catch (ResourceNotFoundException e) {
            throw notFound(arn);
        } catch (SdkException e) {
            throw new TargetServiceException("reading the admin secret " + arn + " failed: "
                    + e.getClass().getSimpleName() + "; check the function may read it (and decrypt its KMS key)", e);
        }
    }

    private static Map<String, String> tags(String arn, AdminBinding binding, SecretsManagerClient client) {
        DescribeSecretResponse described;
        try {
            described = client.describeSecret(b -> b.secretId(arn));
        } catch (ResourceNotFoundException e) {
            throw notFound(arn);
        } catch (SdkException e) {
            throw new TargetServiceException(binding.step() + ": describing the admin secret " + arn + " (to check its tags " + AdminBinding.SERVES + " and "
                    + AdminBinding.ENDPOINTS + ") failed: " + e.getClass().getSimpleName()
                    + "; check the function may call secretsmanager:DescribeSecret on it", e);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (described.hasTags()) {
            for (Tag tag : described.tags()) {
                tags.put(tag.key(), tag.value());
            }
        }
        return tags;
    }

    private static InvalidInputException notFound(String arn) {
        return new InvalidInputException("the admin secret " + arn + " (field \"adminSecretArn\") does not exist"
                + " or has no AWSCURRENT value");
    }
}
