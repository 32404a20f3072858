package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * IAM follows the function's partition (issue 13 item 10b). Each request is stopped just before it
 * would be sent, so nothing reaches the network: the test reads the endpoint it was resolved to.
 */
class SdkIamClientsTest {
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped before transmission", null, false, false);
        }
    }

    final List<String> sentTo = new CopyOnWriteArrayList<>();
    final ExecutionInterceptor stop = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String auth = context.httpRequest().firstMatchingHeader("Authorization").orElse("");
            sentTo.add(context.httpRequest().host() + " " + auth.replaceAll(".*Credential=[^/]+/[0-9]+/([^/]+)/.*", "$1"));
            throw new Stopped();
        }
    };

    @ParameterizedTest
    @CsvSource({
        "us-west-2, aws-global, iam.amazonaws.com us-east-1",
        "cn-north-1, cn-north-1, iam.cn-north-1.amazonaws.com.cn cn-north-1",
        "cn-northwest-1, cn-north-1, iam.cn-north-1.amazonaws.com.cn cn-north-1",
        "us-gov-east-1, us-gov-west-1, iam.us-gov.amazonaws.com us-gov-west-1",
    })
    void iamClient_usesTheGlobalEndpointOfTheFunctionsPartition(String functionRegion, String iamRegion, String endpoint) {
        // GIVEN the function runs in functionRegion
        SdkIamClients clients = new SdkIamClients(Optional.of(Region.of(functionRegion)), b -> b
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(stop)), b -> b);

        // WHEN the IAM client is built and called
        IamClient iam = clients.iam(Optional.empty());
        Throwable stopped = catchThrowable(() -> iam.listAccessKeys(b -> b.userName("u")));

        // THEN it is configured for, resolves to and signs for the partition's IAM endpoint
        assertThat(iam.serviceClientConfiguration().region().id()).isEqualTo(iamRegion);
        assertThat(stopped).isInstanceOf(Stopped.class);
        assertThat(sentTo).containsExactly(endpoint);
    }

    @Test
    void stsClient_isRegional_inTheFunctionsRegion() {
        SdkIamClients clients = new SdkIamClients(Optional.of(Region.US_GOV_WEST_1), b -> b,
                b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(stop)));

        try (StsClient sts = clients.stsWith(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret"))) {
            Throwable stopped = catchThrowable(sts::getCallerIdentity);

            assertThat(sts.serviceClientConfiguration().region()).isEqualTo(Region.US_GOV_WEST_1);
            assertThat(stopped).isInstanceOf(Stopped.class);
            assertThat(sentTo).containsExactly("sts.us-gov-west-1.amazonaws.com us-gov-west-1");
        }
    }
}
