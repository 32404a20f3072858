package dev.secretrotator.provider.iam;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS clients of the {@code aws-iam} provider, injectable for tests. Implementations build
 * each IAM client once and keep it.
 */
public interface IamClients {

    /** The IAM client for the function's own account, or for {@code roleArn}'s (assumed role). */
    IamClient iam(Optional<String> roleArn);

    /** A new STS client signing with {@code credentials} (the caller closes it). */
    StsClient stsWith(AwsCredentials credentials);
}
