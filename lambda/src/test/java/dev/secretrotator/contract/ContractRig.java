package dev.secretrotator.contract;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.handler.RotationHandler;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.provider.iam.SdkIamClients;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.iam.CallRecorder;
import dev.secretrotator.testing.iam.ResourceNames;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * The real handler and operations on moto, every AWS client of the function passing through a
 * {@link CallRecorder}; the test's own clients ({@link #sm}, {@link #iam}, and the service driver)
 * are not recorded. Names in requests resolve to ARNs through the test's own clients.
 */
final class ContractRig implements ResourceNames {
    static final String ACCOUNT = "123456789012";
    static final String FUNCTION_NAME = "secret-rotator-under-test";
    /** Secrets Manager's own key: its key policy, not the role, lets the function use it. */
    static final String AWS_MANAGED_KEY = "alias/aws/secretsmanager";

    final MutableClock clock = new MutableClock();
    final SecretsManagerClient sm;
    final IamClient iam;
    final CallRecorder recorder = new CallRecorder(MotoServer.ACCESS_KEY, this);
    final Components components;
    final ServiceDriver driver;
    private final MotoServer moto;
    private final String endpointHosts;
    private final Map<String, DescribeSecretResponse> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();

    ContractRig(MotoServer moto, String endpointHosts) {
        this.moto = moto;
        this.endpointHosts = endpointHosts;
        this.sm = moto.configure(SecretsManagerClient.builder()).build();
        this.iam = moto.configure(IamClient.builder()).build();
        this.components = components(Map.of());
        this.driver = new ServiceDriver(sm, new RotationHandler(components));
    }

    /**
     * The function's components with its recorded clients and the rig's environment plus
     * {@code extraEnv} (for example a deployment's {@code ROTATOR_SECRET_TAG}).
     */
    Components components(Map<String, String> extraEnv) {
        Telemetry telemetry = Telemetry.stdout();
        SdkIamClients iamClients = new SdkIamClients(this::recorded, this::recorded);
        EventBridgeClient events = recorded(EventBridgeClient.builder()).build();
        SecretsManagerClient functionSm = recorded(SecretsManagerClient.builder()).build();
        Map<String, String> env = new java.util.HashMap<>(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", endpointHosts,
                "AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME));
        env.putAll(extraEnv);
        return Components.of(ProviderServices.builder()
                .config(RotatorConfig.fromEnv(dev.secretrotator.TestRotator.testEnv(env)))
                .clock(clock)
                .telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> functionSm)
                .client(IamClients.class, () -> iamClients)
                .client(RotationEvents.class, () -> new EventBridgeEvents(events, "default", telemetry))
                .client(HttpClient.class, () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                        .followRedirects(HttpClient.Redirect.NEVER).build())
                .build());
    }

    private <B extends AwsClientBuilder<B, ?>> B recorded(B builder) {
        return moto.configure(builder).overrideConfiguration(o -> o.addExecutionInterceptor(recorder));
    }

    /** Runs the handler with an operation event (sweep, rollback, emergency); returns its answer. */
    String invoke(String event) {
        return driver.invokeRaw(event);
    }

    DescribeSecretResponse describe(String secretId) {
        DescribeSecretResponse found = secrets.get(secretId);
        if (found == null) {
            found = sm.describeSecret(b -> b.secretId(secretId));
            secrets.put(secretId, found);
            secrets.put(found.arn(), found);
        }
        return found;
    }

    @Override
    public String partition() {
        return "aws";
    }

    @Override
    public String region() {
        return MotoServer.REGION;
    }

    @Override
    public String account() {
        return ACCOUNT;
    }

    @Override
    public String secretArn(String secretId) {
        return describe(secretId).arn();
    }

    /**
     * The key ARN, for the implied KMS calls. A key given as an alias or key id is refused: its
     * implied calls could not be recorded against the ARN IAM authorizes, so the contract would
     * silently miss them. Create the test's secrets with the key's ARN.
     */
    @Override
    public Optional<String> secretKmsKey(String secretArn) {
        String key = describe(secretArn).kmsKeyId();
        if (key == null || key.equals(AWS_MANAGED_KEY)) {
            return Optional.empty();
        }
        if (!key.startsWith("arn:")) {
            throw new IllegalStateException("ContractRig: secret " + secretArn + " names its KMS key as '" + key
                    + "'; give the key's ARN so the KMS calls Secrets Manager makes for it are recorded");
        }
        return Optional.of(key);
    }

    // read afresh: rotation is configured after the secret was first described
    @Override
    public Optional<String> secretRotationFunction(String secretArn) {
        return Optional.ofNullable(sm.describeSecret(b -> b.secretId(secretArn)).rotationLambdaARN());
    }

    @Override
    public String userArn(String userName) {
        return users.computeIfAbsent(userName, u -> iam.getUser(b -> b.userName(u)).user().arn());
    }

    @Override
    public String userArnOfKey(String accessKeyId) {
        for (var user : iam.listUsers().users()) {
            boolean owns = iam.listAccessKeys(b -> b.userName(user.userName())).accessKeyMetadata().stream()
                    .anyMatch(k -> k.accessKeyId().equals(accessKeyId));
            if (owns) {
                return user.arn();
            }
        }
        throw new IllegalStateException("no IAM user owns access key " + accessKeyId);
    }
}
