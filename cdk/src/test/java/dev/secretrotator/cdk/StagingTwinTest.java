package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.cdk.config.RotationConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** Issue 17 item 8: declaring a production secret's staging twin sets the gate's tag and grants the read. */
class StagingTwinTest {
    static final String TWIN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging/app-x1Y2z3";

    @Test
    void stagingTwin_onASecretOfTheStack_isACloudFormationTag() {
        // GIVEN a production secret of the stack and its imported staging twin
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        Secret production = Secret.Builder.create(stack, "Production").build();
        ISecret twin = TestSupport.importedSecret(stack, "Twin", TWIN_ARN);

        // WHEN its rotation names the twin
        new SecretRotation(stack, "ProductionRotation", SecretRotationProps.builder().secret(production).rotator(rotator)
                .schedule(RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)).stagingTwin(twin).build());

        // THEN the secret carries the tag, and the function may describe the twin
        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "Tags", Match.arrayWith(List.of(Map.of("Key", "secret-rotator:staging-twin", "Value", TWIN_ARN))))));
        assertThat(TestSupport.identityStatements(template)).anySatisfy(s -> {
            assertThat(s.get("Action")).isEqualTo("secretsmanager:DescribeSecret");
            assertThat(s.get("Resource")).isEqualTo(TWIN_ARN);
        });
    }

    @Test
    void stagingTwin_onAnImportedSecret_isTaggedByACustomResourceScopedToThatSecret() {
        // GIVEN an imported production secret
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        ISecret production = TestSupport.importedSecret(stack, "Production", TestSupport.SECRET_ARN);

        // WHEN its rotation names the twin
        new SecretRotation(stack, "ProductionRotation", SecretRotationProps.of(production, rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)).withStagingTwin(
                TestSupport.importedSecret(stack, "Twin", TWIN_ARN)));

        // THEN a custom resource tags that secret, and only it
        Template template = Template.fromStack(stack);
        String resource = template.findResources("Custom::AWS").values().toString();
        assertThat(resource).contains("TagResource").contains("UntagResource").contains("secret-rotator:staging-twin")
                .contains(TWIN_ARN);
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument", Map.of(
                "Statement", List.of(Map.of("Action", List.of("secretsmanager:TagResource", "secretsmanager:UntagResource"),
                        "Effect", "Allow", "Resource", TestSupport.SECRET_ARN)), "Version", "2012-10-17"))));
    }

    @Test
    @SuppressWarnings("deprecation") // Annotations hands out cxapi.SynthesisMessage, deprecated without a replacement
    void stagingTwin_onAnImportedSecret_leavesNoUnsuppressedNagFinding() {
        // GIVEN an imported production secret with a staging twin, under cdk-nag's AwsSolutions pack
        software.amazon.awscdk.App app = new software.amazon.awscdk.App();
        Stack stack = new Stack(app, "Twins", software.amazon.awscdk.StackProps.builder().env(software.amazon.awscdk.Environment
                .builder().account(TestSupport.ACCOUNT).region(TestSupport.REGION).build()).build());
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        new SecretRotation(stack, "ProductionRotation", SecretRotationProps.of(
                TestSupport.importedSecret(stack, "Production", TestSupport.SECRET_ARN), rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)).withStagingTwin(
                TestSupport.importedSecret(stack, "Twin", TWIN_ARN)));
        software.amazon.awscdk.Aspects.of(app).add(io.github.cdklabs.cdknag.AwsSolutionsChecks.Builder.create().build());

        // WHEN it synthesizes THEN nothing is reported
        var annotations = software.amazon.awscdk.assertions.Annotations.fromStack(stack);
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    }

    @Test
    void config_stagingTwin_namesAnotherEntry_andResolvesToItsArn() {
        RotationConfig config = RotationConfig.parse(configWith("\"stagingTwin\": \"Staging\""));
        assertThat(config.secrets().get(1).stagingTwinArn()).isEqualTo(TWIN_ARN);
        assertThat(config.secrets().get(0).stagingTwinArn()).isNull();
    }

    @Test
    void config_stagingTwin_unknown_isRejectedNamingTheEntry() {
        assertThatThrownBy(() -> RotationConfig.parse(configWith("\"stagingTwin\": \"Nope\"")))
                .hasMessageContaining("secret Production: stagingTwin must name another secret of this file")
                .hasMessageContaining("got 'Nope'");
    }

    private static String configWith(String twin) {
        return "{\"secrets\": ["
                + "{\"name\": \"Staging\", \"secretArn\": \"" + TWIN_ARN + "\", \"provider\": \"random-password\","
                + " \"tier\": \"high\", \"environment\": \"staging\"},"
                + "{\"name\": \"Production\", \"secretArn\": \"" + TestSupport.SECRET_ARN + "\", \"provider\": \"random-password\","
                + " \"tier\": \"high\", \"environment\": \"production\", " + twin + "}]}";
    }
}
