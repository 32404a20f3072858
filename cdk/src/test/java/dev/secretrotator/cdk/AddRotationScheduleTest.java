package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** Issue 17 item 9: the rotator plugs into aws-cdk-lib's own {@code secret.addRotationSchedule(...)}. */
class AddRotationScheduleTest {

    private static Template template;
    private static SecretRotatorFunction rotator;

    @BeforeAll
    static void synth() {
        // GIVEN a team's secret and the rotator in its stack
        Stack stack = TestSupport.stack();
        rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        Secret secret = Secret.Builder.create(stack, "TeamSecret").build();

        // WHEN the team uses aws-cdk's API, with the rotator's function, and registers the secret
        rotator.addRotatedSecret(secret);
        secret.addRotationSchedule("R", RotationScheduleOptions.builder()
                .rotationLambda(rotator.function())
                .automaticallyAfter(Duration.days(30))
                .build());
        template = Template.fromStack(stack);
    }

    @Test
    void addRotationSchedule_withFunction_schedulesTheRotator() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", Map.of("Ref", Match.stringLikeRegexp("TeamSecret.*")),
                "RotationLambdaARN", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("RotatorFunction.*"), "Arn")),
                "RotationRules", Map.of("ScheduleExpression", "rate(30 days)"))));
    }

    @Test
    void addRotationSchedule_withFunction_keepsTheAccountScopedInvokePermission() {
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "secretsmanager.amazonaws.com",
                "SourceAccount", TestSupport.ACCOUNT)));
    }

    @Test
    void addRotationSchedule_withFunction_grantsTheRotationActionsAndTheFunctionsOwnTags() {
        String statements = TestSupport.identityStatements(template).toString();
        for (String action : List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage",
                "secretsmanager:TagResource", "secretsmanager:GetRandomPassword")) {
            assertThat(statements).as(action).contains(action);
        }
        assertThat(statements).contains("TeamSecret");
    }

    @Test
    void addRotationSchedule_withFunction_addsNoPermissionWithoutSourceAccount_andWaitsForOurs() {
        assertThat(template.findResources("AWS::Lambda::Permission")).hasSize(1);
        Map<String, Map<String, Object>> schedules = template.findResources("AWS::SecretsManager::RotationSchedule");
        assertThat(schedules.values()).singleElement().satisfies(r -> assertThat(r.get("DependsOn").toString())
                .contains("RotatorSecretsManagerInvoke"));
    }

    @Test
    void addRotationSchedule_forAnUnregisteredSecret_warnsToRegisterIt() {
        // GIVEN a schedule for a secret the rotator was not told about
        Stack stack = TestSupport.stack();
        SecretRotatorFunction other = TestSupport.rotatorWithSecret(stack, TestSupport.props().build());
        Secret secret = Secret.Builder.create(stack, "Forgotten").build();
        secret.addRotationSchedule("R", RotationScheduleOptions.builder().rotationLambda(other.function())
                .automaticallyAfter(Duration.days(30)).build());

        // WHEN it synthesizes THEN a warning says what to call
        software.amazon.awscdk.assertions.Annotations.fromStack(stack).hasWarning("*",
                Match.stringLikeRegexp(".*call rotator.addRotatedSecret\\(secret\\).*"));
    }

    @Test
    void rotator_isAGrantable_whoseGrantsGoToTheFunctionsRole() {
        assertThat((IGrantable) rotator).isNotNull();
        assertThat(rotator.getGrantPrincipal()).isSameAs(rotator.getRole());
        assertThat(rotator.function().getFunctionArn()).isEqualTo(rotator.getRotationLambdaArn());
    }
}
