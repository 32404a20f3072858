package dev.secretrotator.provider.password;

import dev.secretrotator.TargetServiceException;
import dev.secretrotator.config.PasswordOptions;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

/**
 * {@code random-password}: a new {@code "password"} from Secrets Manager's
 * {@code GetRandomPassword}, with the options of AWS's rotation templates. Every other field of
 * the secret is kept. There is no target to apply or verify the password against: this provider
 * is for secrets whose consumers read the password and whose target is updated elsewhere, and
 * for dry runs of the protocol.
 */
public final class RandomPasswordProvider implements RotationProvider {
    public static final String NAME = "random-password";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue createCredential(StepContext context) {
        PasswordOptions options = context.services().config().password();
        String password = randomPassword(context.services().client(SecretsManagerClient.class), options);
        context.services().telemetry().redactor().register(password);
        return context.current().with("password", password);
    }

    /** The password is the whole credential, made in createSecret: setSecret has nothing to apply. */
    @Override
    public boolean appliesCredential() {
        return false;
    }

    @Override
    public void verifyCredential(StepContext context) {
        // Nothing to verify against: the stored value is the whole credential.
    }

    static String randomPassword(SecretsManagerClient client, PasswordOptions options) {
        GetRandomPasswordRequest request = GetRandomPasswordRequest.builder()
                .passwordLength((long) options.length())
                .excludeCharacters(options.excludeCharacters())
                .excludeNumbers(options.excludeNumbers())
                .excludePunctuation(options.excludePunctuation())
                .excludeUppercase(options.excludeUppercase())
                .excludeLowercase(options.excludeLowercase())
                .requireEachIncludedType(options.requireEachIncludedType())
                .build();
        try {
            return client.getRandomPassword(request).randomPassword();
        } catch (SdkException e) {
            throw new TargetServiceException("GetRandomPassword failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
