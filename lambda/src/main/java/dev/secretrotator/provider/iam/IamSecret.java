package dev.secretrotator.provider.iam;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.SecretValue;
import java.util.Optional;

/**
 * The fields of an {@code aws-iam} secret.
 *
 * @param userName the IAM user whose keys rotate
 * @param accessKeyId the current key's id; empty before the first rotation (bootstrap)
 * @param roleArn a role to assume to manage the user in another account
 */
record IamSecret(String userName, Optional<String> accessKeyId, Optional<String> roleArn) {
    static final String USER = "userName";
    static final String KEY_ID = "accessKeyId";
    static final String SECRET_KEY = "secretAccessKey";

    static IamSecret of(SecretValue value) {
        String user = value.require(USER);
        if (!user.matches("[\\w+=,.@-]{1,64}")) {
            throw new InvalidInputException("field \"userName\" is not a valid IAM user name (1-64 of letters, digits, +=,.@_-)");
        }
        Optional<String> keyId = value.string(KEY_ID);
        if (keyId.isPresent() && value.string(SECRET_KEY).isEmpty()) {
            throw new InvalidInputException("field \"secretAccessKey\" is missing or empty while \"accessKeyId\" is set");
        }
        Optional<String> role = value.string("roleArn");
        if (role.isPresent() && !role.get().matches("arn:aws[\\w-]*:iam::\\d{12}:role/.+")) {
            throw new InvalidInputException("field \"roleArn\" must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        return new IamSecret(user, keyId, role);
    }
}
