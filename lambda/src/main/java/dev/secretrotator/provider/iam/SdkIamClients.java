package dev.secretrotator.provider.iam;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * {@link IamClients} from the SDK: IAM on the global endpoint of the function's partition
 * ({@link #iamRegion}), STS (AssumeRole, GetCallerIdentity) on the function's own regional
 * endpoint, both shaped by the given builder customisations (HTTP client, and in tests endpoint
 * and credentials), applied after the region and before the assumed role's or the tested key's
 * credentials. IAM clients are cached per role; thread-safe.
 */
public final class SdkIamClients implements IamClients {
    static final String SESSION_NAME = "secret-rotator";

    private final Optional<Region> functionRegion;
    private final UnaryOperator<IamClientBuilder> iamBuilder;
    private final UnaryOperator<StsClientBuilder> stsBuilder;
    private final Map<String, IamClient> iamByRole = new ConcurrentHashMap<>();
    private volatile StsClient ownSts;

    /**
     * @param functionRegion the function's region ({@code AWS_REGION}): its partition picks the IAM
     *     endpoint and STS is called there; empty means the {@code aws} partition and the SDK's
     *     default region for STS
     */
    public SdkIamClients(Optional<Region> functionRegion, UnaryOperator<IamClientBuilder> iamBuilder,
            UnaryOperator<StsClientBuilder> stsBuilder) {
        this.functionRegion = functionRegion;
        this.iamBuilder = iamBuilder;
        this.stsBuilder = stsBuilder;
    }

    /** Clients for the {@code aws} partition (tests, which point both at an emulator). */
    public SdkIamClients(UnaryOperator<IamClientBuilder> iamBuilder, UnaryOperator<StsClientBuilder> stsBuilder) {
        this(Optional.empty(), iamBuilder, stsBuilder);
    }

    /**
     * The region IAM is called in from {@code functionRegion}: IAM has one endpoint per partition,
     * {@code aws-global} (signed for us-east-1) in {@code aws}, {@code cn-north-1} in
     * {@code aws-cn}, {@code us-gov-west-1} in {@code aws-us-gov}; in any other partition the
     * function's own region, which the SDK's endpoint rules map to that partition's IAM endpoint.
     */
    static Region iamRegion(Region functionRegion) {
        return switch (PartitionMetadata.of(functionRegion).id()) {
            case "aws" -> Region.AWS_GLOBAL;
            case "aws-cn" -> Region.CN_NORTH_1;
            case "aws-us-gov" -> Region.US_GOV_WEST_1;
            default -> functionRegion;
        };
    }

    @Override
    public IamClient iam(Optional<String> roleArn) {
        return iamByRole.computeIfAbsent(roleArn.orElse(""), role -> {
            IamClientBuilder builder = iamBuilder.apply(IamClient.builder()
                    .region(functionRegion.map(SdkIamClients::iamRegion).orElse(Region.AWS_GLOBAL)));
            if (!role.isEmpty()) {
                builder.credentialsProvider(StsAssumeRoleCredentialsProvider.builder().stsClient(ownSts())
                        .refreshRequest(r -> r.roleArn(role).roleSessionName(SESSION_NAME)).build());
            }
            return builder.build();
        });
    }

    @Override
    public StsClient stsWith(AwsCredentials credentials) {
        return stsBuilder.apply(sts()).credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    private StsClientBuilder sts() {
        StsClientBuilder builder = StsClient.builder();
        functionRegion.ifPresent(builder::region);
        return builder;
    }

    private StsClient ownSts() {
        if (ownSts == null) {
            synchronized (this) {
                if (ownSts == null) {
                    ownSts = stsBuilder.apply(sts()).build();
                }
            }
        }
        return ownSts;
    }
}
