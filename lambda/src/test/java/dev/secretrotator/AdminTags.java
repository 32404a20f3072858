package dev.secretrotator;

import dev.secretrotator.provider.AdminBinding;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Binds a test's admin secret as its owner would ({@link AdminBinding}): the tags
 * {@code secret-rotator:serves} and {@code secret-rotator:endpoints}.
 */
public final class AdminTags {
    private AdminTags() {}

    /**
     * Tags {@code adminArn}.
     *
     * @param serves space-separated secret names or ARNs (a trailing {@code *} is a prefix)
     * @param endpoints space-separated hosts or host:port
     */
    public static void bind(SecretsManagerClient client, String adminArn, String serves, String endpoints) {
        client.tagResource(b -> b.secretId(adminArn).tags(List.of(
                Tag.builder().key(AdminBinding.SERVES).value(serves).build(),
                Tag.builder().key(AdminBinding.ENDPOINTS).value(endpoints).build())));
    }

    /** The ARN prefix of every secret in the admin secret's account and region, with {@code *}. */
    public static String everySecretOfItsAccount(String adminArn) {
        return adminArn.substring(0, adminArn.indexOf(":secret:") + ":secret:".length()) + "*";
    }

    /** {@link #bind} serving every secret of the account (tests that are not about the binding). */
    public static String bindToAccount(SecretsManagerClient client, String adminArn, String endpoints) {
        bind(client, adminArn, everySecretOfItsAccount(adminArn), endpoints);
        return adminArn;
    }
}
