package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;

/** Props are validated in the constructor; each message names what was received and how to fix it. */
class SecretRotatorFunctionValidationTest {

    private static void assertRejected(SecretRotatorFunctionProps.Builder props, String... fragments) {
        Stack stack = TestSupport.stack();
        var assertion = assertThatThrownBy(() -> new SecretRotatorFunction(stack, "Rotator", props.build()))
                .isInstanceOf(IllegalArgumentException.class);
        for (String fragment : fragments) {
            assertion.hasMessageContaining(fragment);
        }
    }

    @Test
    void timeoutUnder30Seconds_isRejected() {
        assertRejected(TestSupport.props().timeout(Duration.seconds(10)),
                "timeout must be between 30 seconds and 15 minutes, got 10 seconds");
    }

    @Test
    void timeoutShorterThanVerificationPlusMargin_isRejected() {
        assertRejected(TestSupport.props().timeout(Duration.seconds(60)),
                "timeout must be at least verifyTimeout + 30 seconds", "got timeout 1 minute and verifyTimeout 1 minute");
    }

    @Test
    void runtimeUnset_isRejected() {
        assertRejected(TestSupport.props().runtime(null), "runtime must be set, got null");
    }

    @Test
    void memoryOutOfRange_isRejected() {
        assertRejected(TestSupport.props().memorySize(128), "memorySize must be between 256 and 10240 MB, got 128 MB");
    }

    @Test
    void iamUserPathRoot_isRejectedAsEveryUser() {
        assertRejected(TestSupport.props().iamUserPath("/"), "iamUserPath must not be '/'", "such as /rotated/");
    }

    @Test
    void iamUserPathWithoutSlashes_isRejected() {
        assertRejected(TestSupport.props().iamUserPath("rotated"),
                "iamUserPath must start and end with '/'", "got 'rotated'");
    }

    @Test
    void wildcardRoleArn_isRejected() {
        assertRejected(TestSupport.props().assumeRoleArns(List.of("arn:aws:iam::210987654321:role/*")),
                "assumeRoleArns must be IAM role ARNs without wildcards", "got 'arn:aws:iam::210987654321:role/*'");
    }

    @Test
    void wildcardAdminSecret_isRejected() {
        assertRejected(TestSupport.props().adminSecretArns(
                        List.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:*")),
                "adminSecretArns must be Secrets Manager secret ARNs without '*'");
    }

    @Test
    void secretTagUnderTheFunctionsOwnPrefix_isRejected() {
        assertRejected(TestSupport.props().secretTag(new SecretTag("secret-rotator:deployment", "platform")),
                "secretTag key must not start with 'secret-rotator:'", "got 'secret-rotator:deployment'");
        assertRejected(TestSupport.props().secretTag(new SecretTag("aws:cloudformation:stack-name", "x")),
                "nor 'aws:'");
    }

    @Test
    void endpointHostWithScheme_isRejected() {
        assertRejected(TestSupport.props().allowedEndpointHosts(List.of("https://weaviate.example.com")),
                "allowedEndpointHosts must be host names without scheme", "got 'https://weaviate.example.com'");
    }

    @Test
    void unknownPasswordOption_isRejected() {
        assertRejected(TestSupport.props().passwordOptions(Map.of("PASSWORD_LEN", "32")),
                "passwordOptions keys must be one of", "got 'PASSWORD_LEN'");
    }

    @Test
    void securityGroupsWithoutVpc_isRejected() {
        Stack other = TestSupport.stack();
        Vpc vpc = Vpc.Builder.create(other, "Vpc").maxAzs(1).natGateways(0).build();
        var group = SecurityGroup.Builder.create(other, "Sg").vpc(vpc).build();

        assertRejected(TestSupport.props().securityGroups(List.of(group)),
                "securityGroups need a vpc, got 1 security group(s) and no vpc");
    }

    @Test
    void nullList_isRejectedWithTheFix() {
        assertThatThrownBy(() -> TestSupport.props().assumeRoleArns(null).build())
                .hasMessageContaining("assumeRoleArns must be a list without nulls (List.of() for none), got null");
    }

    @Test
    void rotatorWithoutAnySecret_failsSynthesisWithTheFix() {
        Stack stack = TestSupport.stack();
        new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> Template.fromStack(stack))
                .hasMessageContaining("SecretRotatorFunction must rotate at least one secret")
                .hasMessageContaining("addRotatedSecret");
    }
}
