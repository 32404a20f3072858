package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.provider.FixedHistory;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.SecretHistory;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.GetAccessKeyLastUsedRequest;
import software.amazon.awssdk.services.iam.model.GetAccessKeyLastUsedResponse;

/**
 * Which keys count as the orphans of a failed attempt. Regression (found by ConcurrentStepsIT):
 * IAM states creation times in whole seconds, so the key of a rotation started in the second its
 * secret was written looked older than the current version and was refused as a key in use.
 */
class OrphanKeyTest {
    static final Instant CURRENT_SINCE = Instant.parse("2026-11-23T12:00:00.600Z");

    @Test
    void aNeverUsedKey_createdInTheSecondTheCurrentVersionTookOver_isAnOrphan() {
        AccessKeys.Key key = new AccessKeys.Key("AKIAORPHAN", true, Instant.parse("2026-11-23T12:00:00Z"));
        assertThat(AwsIamProvider.isOrphan(context(), new AccessKeys(neverUsed(), "u"), key)).isTrue();
    }

    @Test
    void aNeverUsedKey_createdTheSecondBefore_isNotAnOrphan() {
        AccessKeys.Key key = new AccessKeys.Key("AKIAOLDER", true, Instant.parse("2026-11-23T11:59:59Z"));
        assertThat(AwsIamProvider.isOrphan(context(), new AccessKeys(neverUsed(), "u"), key)).isFalse();
    }

    @Test
    void aKeyHeldByThePreviousVersion_isNotAnOrphan() {
        AccessKeys.Key key = new AccessKeys.Key("AKIAPREVIOUS", true, Instant.parse("2026-11-23T12:00:01Z"));
        assertThat(AwsIamProvider.isOrphan(context(), new AccessKeys(neverUsed(), "u"), key)).isFalse();
    }

    private static StepContext context() {
        SecretValue current = SecretValue.parse("{\"provider\":\"aws-iam\",\"userName\":\"u\",\"accessKeyId\":\"AKIACURRENT\"}");
        SecretHistory history = new FixedHistory(CURRENT_SINCE, Optional.of(current.with("accessKeyId", "AKIAPREVIOUS")));
        return new StepContext("s", "arn:aws:secretsmanager:us-east-1:111122223333:secret:s", "v1", current, Optional.empty(),
                Optional.empty(), false, history, ProviderServices.builder().build());
    }

    /** An IAM client whose keys were never used (unit test: no other call is expected). */
    private static IamClient neverUsed() {
        return new IamClient() {
            @Override
            public GetAccessKeyLastUsedResponse getAccessKeyLastUsed(GetAccessKeyLastUsedRequest request) {
                return GetAccessKeyLastUsedResponse.builder().accessKeyLastUsed(AccessKeyLastUsed.builder().build()).build();
            }

            @Override
            public String serviceName() {
                return "iam";
            }

            @Override
            public void close() {}
        };
    }
}
