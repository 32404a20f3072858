package dev.secretrotator.hardening;

import dev.secretrotator.IamAdmin;
import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceSemantics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handler on moto with request authentication on, for the {@code aws-iam} provider: an
 * admin identity, the function's IAM and STS calls through {@link FaultInjector}s, Secrets
 * Manager with the service's {@code PutSecretValue} semantics ({@link ServiceSemantics}), every
 * secret access key the function was given by IAM recorded (including those it never stored), and
 * a clock the test can move. The caller resets moto (authentication relaxed) before building one.
 */
final class IamBench {
    final MotoServer moto;
    final AwsCredentials admin;
    final IamClient iam;
    final FaultInjector iamFaults = new FaultInjector();
    final FaultInjector stsFaults = new FaultInjector();
    final MutableClock clock = new MutableClock();
    final TestRotator rotator;
    /** Every secret access key CreateAccessKey returned to the function. */
    final List<String> issued = new CopyOnWriteArrayList<>();

    IamBench(MotoServer moto, Map<String, String> env, String... users) {
        this.moto = moto;
        IamAdmin identity = IamAdmin.bootstrap(moto, users);
        issued.add(identity.secretAccessKey());
        admin = identity.credentials();
        iam = moto.configure(IamClient.builder(), admin).build();
        IamClients clients = IamAdmin.clients(moto, iamFaults.wrap(IamClient.class, recording(iam)), stsFaults);
        SecretsManagerClient sm = ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder(), admin).build());
        rotator = new TestRotator(sm, env, ProviderServices.builder().clock(clock).client(IamClients.class, () -> clients));
        moto.enforceAuthentication();
    }

    /** An IAM client that records every secret access key it receives. */
    private IamClient recording(IamClient real) {
        return (IamClient) Proxy.newProxyInstance(IamClient.class.getClassLoader(), new Class<?>[] {IamClient.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof CreateAccessKeyResponse r) {
                        issued.add(r.accessKey().secretAccessKey());
                        LeakCheck.sensitive(r.accessKey().secretAccessKey());
                    }
                    return result;
                });
    }

    /** A key for {@code user} made by the test, recorded as issued. */
    AccessKey newKey(String user) {
        AccessKey key = iam.createAccessKey(b -> b.userName(user)).accessKey();
        issued.add(key.secretAccessKey());
        LeakCheck.sensitive(key.secretAccessKey());
        return key;
    }

    /** Creates a secret and binds {@code user} to it; returns its ARN. */
    String secret(String name, String json, String user) {
        String arn = rotator.createSecret(name, json);
        IamAdmin.bind(iam, user, arn);
        return arn;
    }

    /** Whether a key authenticates at moto as {@code user}. */
    boolean authenticates(String keyId, String secretKey, String user) {
        return IamAdmin.authenticatesAs(moto, keyId, secretKey, user);
    }

    List<AccessKeyMetadata> keys(String user) {
        return iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata();
    }
}
