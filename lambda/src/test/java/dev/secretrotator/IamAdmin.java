package dev.secretrotator;

import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The identity IAM tests sign with once moto enforces authentication: a user {@code rotator-admin}
 * allowed everything, made with moto's open bootstrap client, together with the target users
 * (path {@code /deployers/}). Its secret access key is registered with {@link LeakCheck}.
 *
 * @param credentials the admin's access key
 * @param secretAccessKey the admin's secret, for tests that record every key issued
 */
public record IamAdmin(AwsCredentials credentials, String secretAccessKey) {
    /** The tag that binds an IAM user to the secret that rotates its keys. */
    public static final String BINDING_TAG = "secret-rotator:secret";
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    /** Creates the admin and {@code users}; call before {@link MotoServer#enforceAuthentication()}. */
    public static IamAdmin bootstrap(MotoServer moto, String... users) {
        IamClient bootstrap = moto.configure(IamClient.builder()).build();
        bootstrap.createUser(b -> b.userName("rotator-admin"));
        bootstrap.putUserPolicy(b -> b.userName("rotator-admin").policyName("all").policyDocument(ALLOW_ALL));
        AccessKey key = bootstrap.createAccessKey(b -> b.userName("rotator-admin")).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        for (String user : users) {
            bootstrap.createUser(b -> b.userName(user).path("/deployers/"));
        }
        return new IamAdmin(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()), key.secretAccessKey());
    }

    /**
     * Binds {@code user} to the secret (the tag the {@code aws-iam} provider requires before it
     * touches the user's keys), as a team would with {@code aws iam tag-user}.
     *
     * @param secret the secret's name or full ARN
     */
    public static void bind(IamClient iam, String user, String secret) {
        iam.tagUser(b -> b.userName(user).tags(t -> t.key(BINDING_TAG).value(secret)));
    }

    /**
     * The function's IAM clients: {@code iam} whatever the role, and STS clients signed with the
     * credentials under test, wrapped by {@code stsFaults}.
     */
    public static IamClients clients(MotoServer moto, IamClient iam, FaultInjector stsFaults) {
        return new IamClients() {
            @Override
            public IamClient iam(Optional<String> roleArn) {
                return iam;
            }

            @Override
            public StsClient stsWith(AwsCredentials credentials) {
                return stsFaults.wrap(StsClient.class, moto.configure(StsClient.builder(), credentials).build());
            }
        };
    }

    /** Whether a key authenticates at moto ({@code sts:GetCallerIdentity}) as {@code user}. */
    public static boolean authenticatesAs(MotoServer moto, String keyId, String secretKey, String user) {
        if (keyId == null || secretKey == null) {
            return false;
        }
        try (StsClient sts = moto.configure(StsClient.builder(), AwsBasicCredentials.create(keyId, secretKey)).build()) {
            return sts.getCallerIdentity().arn().endsWith("/" + user);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "IamAdmin[" + credentials.accessKeyId() + "]";
    }
}
