package dev.secretrotator.cdk.internal;

import java.util.List;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/** What the rotator's role and allow-list name for a secret. Not API. */
public final class SecretArns {

    private SecretArns() {
    }

    /**
     * The secret's full ARN, or for a secret imported by name or partial ARN
     * ({@code Secret.fromSecretNameV2}, {@code fromSecretPartialArn}) {@code <arn>-??????}: IAM
     * matches the 6 random characters Secrets Manager appends, as aws-cdk's {@code arnForPolicies}
     * does. The function's allow-list reads {@code ?} the same way.
     */
    public static String forPolicies(ISecret secret) {
        String full = secret.getSecretFullArn();
        return full != null ? full : secret.getSecretArn() + "-??????";
    }

    /**
     * In prefix mode, a secret whose name is known at synth must start with one of the prefixes.
     *
     * @throws IllegalArgumentException naming the secret and the prefixes
     */
    public static void requireSelected(ISecret secret, List<String> prefixes) {
        String name = secret.getSecretName();
        if (prefixes.isEmpty() || name == null || Token.isUnresolved(name)) {
            return;
        }
        if (prefixes.stream().noneMatch(name::startsWith)) {
            throw new IllegalArgumentException("secret " + secret.getNode().getPath() + " is named '" + name
                    + "', which starts with none of secretNamePrefixes " + prefixes + "; the rotator's role could not"
                    + " touch it. Rename it under a prefix or add its prefix");
        }
    }
}
