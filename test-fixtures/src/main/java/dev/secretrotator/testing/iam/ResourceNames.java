package dev.secretrotator.testing.iam;

import java.util.Optional;

/**
 * Turns the names in requests into the ARNs IAM authorizes, as the test world knows them (for
 * example by asking the emulator with the test's own client, which is not recorded).
 */
public interface ResourceNames {
    String partition();

    String region();

    String account();

    /** The complete ARN of a secret given by name or ARN. */
    String secretArn(String secretId);

    /** The customer managed key that encrypts the secret, if any. */
    Optional<String> secretKmsKey(String secretArn);

    /** The rotation function configured on the secret ({@code RotationLambdaARN}), if any. */
    Optional<String> secretRotationFunction(String secretArn);

    /** The ARN of an IAM user, including its path. */
    String userArn(String userName);

    /** The ARN of the IAM user that owns an access key. */
    String userArnOfKey(String accessKeyId);
}
