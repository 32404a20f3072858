package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TargetServiceException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The messages people read when AWS says no, is not there, or is not configured. */
class FailuresTest {

    @Test
    void noRegion_namesAwsRegion_andTheSecret() {
        SdkClientException e = SdkClientException.create("Unable to load region from any of the providers in the chain"
                + " software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain@1: [...]");

        assertThat(Failures.explain(e, "prod/db")).isEqualTo("secret prod/db: no AWS region is set: set AWS_REGION"
                + " (for example export AWS_REGION=us-east-1), or a region in the AWS profile you use (AWS_PROFILE)");
    }

    @Test
    void connectionRefused_namesTheEndpointVariable_notPermissions() {
        TargetServiceException e = (TargetServiceException) new TargetServiceException("Secrets Manager DescribeSecret failed:"
                + " SdkClientException; check the function's permissions on the secret and its KMS key, then retry",
                SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused")))
                .at("secret prod/db, step createSecret");

        String message = Failures.explain(e, "prod/db");

        assertThat(message).startsWith("secret prod/db, step createSecret: cannot reach ")
                .contains("connection refused").contains("AWS_ENDPOINT_URL").doesNotContain("permissions on the secret");
    }

    @Test
    void unknownHost_namesTheHost() {
        SdkClientException e = SdkClientException.create("Unable to execute HTTP request",
                new UnknownHostException("secretsmanager.nowhere.example"));

        assertThat(Failures.explain(e, "prod/db")).startsWith("secret prod/db: cannot reach")
                .contains("unknown host secretsmanager.nowhere.example").contains("AWS_ENDPOINT_URL");
    }

    @Test
    void accessDenied_namesActionResourceAndPrincipal() {
        SecretsManagerException denied = (SecretsManagerException) SecretsManagerException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").serviceName("SecretsManager")
                        .errorMessage("User: arn:aws:iam::123456789012:user/oncall is not authorized to perform:"
                                + " secretsmanager:DescribeSecret on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
                                + " because no identity-based policy allows the secretsmanager:DescribeSecret action").build())
                .build();

        String message = Failures.explain(new TargetServiceException("DescribeSecret failed", denied), "prod/db");

        assertThat(message).isEqualTo("access denied: arn:aws:iam::123456789012:user/oncall may not call"
                + " secretsmanager:DescribeSecret on arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf;"
                + " grant that action on that resource to that principal (IAM policy, or the secret's resource policy or KMS key policy)");
    }

    @Test
    void accessDenied_withoutAResourceInTheMessage_namesTheSecret() {
        SecretsManagerException denied = (SecretsManagerException) SecretsManagerException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("SecretsManager").rawResponse(software.amazon.awssdk.core.SdkBytes
                        .fromUtf8String("<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/oncall"
                                + " is not authorized to perform: secretsmanager:GetSecretValue</Message></Error></Errors></ErrorResponse>")).build())
                .build();

        assertThat(Failures.explain(denied, "prod/db")).isEqualTo("access denied: arn:aws:iam::123456789012:user/oncall may not call"
                + " secretsmanager:GetSecretValue on secret prod/db; grant that action on that resource to that principal"
                + " (IAM policy, or the secret's resource policy or KMS key policy)");
    }
}
