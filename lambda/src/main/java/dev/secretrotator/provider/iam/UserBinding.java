package dev.secretrotator.provider.iam;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.provider.StepContext;
import java.util.Optional;

/**
 * The binding of an IAM user to the secret that rotates its keys (design.md §2 rule 10): the user
 * must carry the tag {@value #TAG} whose value is the secret's name or its full ARN. Whoever may
 * write a secret's value can name any {@code userName} and {@code roleArn}; a tag on the user is
 * something writing the value cannot change, so the function refuses to mint, deactivate, delete
 * or reactivate a key of a user that does not name the secret. Checked through the same IAM
 * client as the key calls (the assumed role's, in the target account), at every use; the tag is
 * read once per step ({@link StepContext#memo()}). Stateless.
 */
final class UserBinding {
    static final String TAG = "secret-rotator:secret";

    private UserBinding() {}

    /**
     * Refuses unless the user of {@code keys} is tagged for the secret of {@code context}.
     *
     * @param action what was about to happen, for the message (e.g. "createSecret")
     * @throws RotationStateException naming the secret, the action, the user and the tag to add;
     *     nothing was changed
     */
    static void require(StepContext context, AccessKeys keys, String action) {
        String arn = context.secretArn();
        String name = secretName(arn);
        // ListUserTags once per step: checkCreate and createCredential check the same user
        Optional<String> bound = context.memo().get("iam-user-tag:" + TAG + ":" + keys.scope(), () -> keys.tag(TAG));
        if (bound.filter(v -> v.equals(name) || v.equals(arn)).isPresent()) {
            return;
        }
        throw new RotationStateException("IAM user '" + keys.user() + "' is not bound to secret '" + name + "' ("
                + action + " refused, nothing was changed): "
                + bound.map(v -> "its tag " + TAG + " names '" + v + "'").orElse("it has no tag " + TAG)
                + ". Only a user tagged for this secret may have its keys rotated by it; if this secret should manage the user, run"
                + " aws iam tag-user --user-name " + keys.user() + " --tags Key=" + TAG + ",Value=" + name);
    }

    /**
     * A secret's name from its ARN: the resource part without the six random characters and the
     * hyphen Secrets Manager appends ({@code arn:aws:secretsmanager:r:a:secret:ci/key-AbCdEf}).
     */
    static String secretName(String arn) {
        int colon = arn.indexOf(":secret:");
        String resource = colon < 0 ? arn : arn.substring(colon + ":secret:".length());
        return resource.matches(".+-[A-Za-z0-9]{6}") ? resource.substring(0, resource.length() - 7) : resource;
    }
}
