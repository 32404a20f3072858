package dev.secretrotator.provider.iam;

import dev.secretrotator.IamAdmin;
import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

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
        admin = IamAdmin.bootstrap(moto, USER).credentials();
        iam = moto.configure(IamClient.builder(), admin).build();
        IamClients clients = IamAdmin.clients(moto, iamFaults.wrap(IamClient.class, iam), stsFaults);
        rotator = new TestRotator(moto.configure(SecretsManagerClient.builder(), admin).build(), env,
                ProviderServices.builder().clock(clock).client(IamClients.class, () -> clients));
        moto.enforceAuthentication();
    }

    /** Creates a secret and binds the target user to it; returns its ARN. */
    String secret(String name, String json) {
        String arn = rotator.createSecret(name, json);
        IamAdmin.bind(iam, USER, arn);
        return arn;
    }

    /** Whether a key authenticates at moto as the target user. */
    boolean authenticates(String keyId, String secretKey) {
        return IamAdmin.authenticatesAs(moto, keyId, secretKey, USER);
    }

    java.util.List<software.amazon.awssdk.services.iam.model.AccessKeyMetadata> keys() {
        return iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata();
    }
}
