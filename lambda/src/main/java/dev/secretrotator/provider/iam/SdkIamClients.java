package dev.secretrotator.provider.iam;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * {@link IamClients} from the SDK: IAM on its global endpoint region, STS in the function's
 * region, both shaped by the given builder customisations (HTTP client, and in tests endpoint
 * and credentials). IAM clients are cached per role; thread-safe.
 */
public final class SdkIamClients implements IamClients {
    static final String SESSION_NAME = "secret-rotator";

    private final UnaryOperator<IamClientBuilder> iamBuilder;
    private final UnaryOperator<StsClientBuilder> stsBuilder;
    private final Map<String, IamClient> iamByRole = new ConcurrentHashMap<>();
    private volatile StsClient ownSts;

    public SdkIamClients(UnaryOperator<IamClientBuilder> iamBuilder, UnaryOperator<StsClientBuilder> stsBuilder) {
        this.iamBuilder = iamBuilder;
        this.stsBuilder = stsBuilder;
    }

    @Override
    public IamClient iam(Optional<String> roleArn) {
        return iamByRole.computeIfAbsent(roleArn.orElse(""), role -> {
            IamClientBuilder builder = iamBuilder.apply(IamClient.builder().region(Region.AWS_GLOBAL));
            if (!role.isEmpty()) {
                builder.credentialsProvider(StsAssumeRoleCredentialsProvider.builder().stsClient(ownSts())
                        .refreshRequest(r -> r.roleArn(role).roleSessionName(SESSION_NAME)).build());
            }
            return builder.build();
        });
    }

    @Override
    public StsClient stsWith(AwsCredentials credentials) {
        return stsBuilder.apply(StsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    private StsClient ownSts() {
        if (ownSts == null) {
            synchronized (this) {
                if (ownSts == null) {
                    ownSts = stsBuilder.apply(StsClient.builder()).build();
                }
            }
        }
        return ownSts;
    }
}
