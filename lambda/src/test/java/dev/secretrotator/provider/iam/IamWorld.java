package dev.secretrotator.provider.iam;

import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An IAM world on moto with request authentication on: an admin identity the function and the
 * test use, a target user, the function wired to moto with fault injection around IAM and STS,
 * and a clock the test can move.
 */
final class IamWorld {
    static final String USER = "ci-deployer";

    final MotoServer moto;
    final AwsCredentials admin;
    final IamClient iam;
    final FaultInjector iamFaults = new FaultInjector();
    final FaultInjector stsFaults = new FaultInjector();
    final MutableClock clock = new MutableClock();
    final TestRotator rotator;

    IamWorld(MotoServer moto, Map<String, String> env) {
        this.moto = moto;
        IamClient bootstrap = moto.configure(IamClient.builder()).build();
        bootstrap.createUser(b -> b.userName("rotator-admin"));
        bootstrap.putUserPolicy(b -> b.userName("rotator-admin").policyName("all").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        AccessKey key = bootstrap.createAccessKey(b -> b.userName("rotator-admin")).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        admin = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        bootstrap.createUser(b -> b.userName(USER).path("/deployers/"));
        iam = moto.configure(IamClient.builder(), admin).build();
        IamClient faultyIam = iamFaults.wrap(IamClient.class, iam);
        IamClients clients = new IamClients() {
            @Override
            public IamClient iam(Optional<String> roleArn) {
                return faultyIam;
            }

            @Override
            public StsClient stsWith(AwsCredentials credentials) {
                return stsFaults.wrap(StsClient.class, moto.configure(StsClient.builder(), credentials).build());
            }
        };
        rotator = new TestRotator(moto.configure(SecretsManagerClient.builder(), admin).build(), env,
                ProviderServices.builder().clock(clock).client(IamClients.class, () -> clients));
        moto.enforceAuthentication();
    }

    /** Whether a key authenticates at moto as the target user. */
    boolean authenticates(String keyId, String secretKey) {
        try (StsClient sts = moto.configure(StsClient.builder(), AwsBasicCredentials.create(keyId, secretKey)).build()) {
            return sts.getCallerIdentity().arn().endsWith("/" + USER);
        } catch (RuntimeException e) {
            return false;
        }
    }

    java.util.List<software.amazon.awssdk.services.iam.model.AccessKeyMetadata> keys() {
        return iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata();
    }
}
