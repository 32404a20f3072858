package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.secretsmanager.Secret;

class SecretRotationTest {

    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator and a secret created in the same stack with its own key
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        Key key = Key.Builder.create(stack, "SecretKey").enableKeyRotation(true).build();
        Secret owned = Secret.Builder.create(stack, "Owned").encryptionKey(key).build();

        // WHEN rotation is switched on with one call each
        new SecretRotation(stack, "OwnedRotation", SecretRotationProps.of(owned, rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)));
        new SecretRotation(stack, "ImportedRotation", SecretRotationProps.of(
                TestSupport.importedSecret(stack, "Imported", TestSupport.SECRET_ARN), rotator,
                RotationCalendar.forTier(RiskTier.LOW, Stage.STAGING)).withRotateImmediatelyOnUpdate(true));
        template = Template.fromStack(stack);
    }

    @Test
    void schedule_usesCronAndARotationWindow() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", TestSupport.SECRET_ARN,
                "RotationRules", Map.of(
                        "ScheduleExpression", "cron(0 9 ? 1/3 TUE#2 *)",
                        "Duration", "4h"),
                "RotationLambdaARN", Map.of("Fn::GetAtt", List.of(
                        Match.stringLikeRegexp("RotatorFunction.*"), "Arn")))));
    }

    @Test
    void rotateImmediatelyOnUpdate_isFalseUnlessChosen() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "RotationRules", Match.objectLike(Map.of("ScheduleExpression", "cron(0 9 ? * TUE#3 *)")),
                "RotateImmediatelyOnUpdate", false)));
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", TestSupport.SECRET_ARN,
                "RotateImmediatelyOnUpdate", true)));
    }

    @Test
    void schedule_dependsOnTheInvokePermission() {
        Map<String, Map<String, Object>> schedules = template.findResources("AWS::SecretsManager::RotationSchedule");

        assertThat(schedules.values()).allSatisfy(r -> assertThat(TestSupport.asList(r.get("DependsOn")))
                .anySatisfy(dep -> assertThat(dep.toString()).startsWith("RotatorSecretsManagerInvoke")));
    }

    @Test
    void ownedSecretAndItsKey_areGrantedToTheRotator() {
        Map<String, Object> secrets = TestSupport.statementBySid(template, "RotateListedSecrets");
        assertThat(secrets.get("Resource").toString()).contains("Owned", TestSupport.SECRET_ARN);

        Map<String, Object> key = TestSupport.statementBySid(template, "UseSecretsKeys");
        assertThat(key.get("Resource").toString()).contains("SecretKey");
    }

    @Test
    void secretOfAnotherStack_isRejectedWithTheFix() {
        // GIVEN
        App app = new App();
        Stack rotatorStack = new Stack(app, "Rotator");
        Stack teamStack = new Stack(app, "Team");
        SecretRotatorFunction rotator = new SecretRotatorFunction(rotatorStack, "Rotator", TestSupport.props().build());
        Secret secret = Secret.Builder.create(teamStack, "TeamSecret").build();

        // WHEN / THEN
        assertThatThrownBy(() -> new SecretRotation(teamStack, "Rotation", SecretRotationProps.of(secret, rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.STAGING))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret must be defined in the rotator's stack 'Rotator'")
                .hasMessageContaining("Secret.fromSecretCompleteArn")
                .hasMessageContaining("got secret Team/TeamSecret of stack 'Team'");
    }

    @Test
    void missingSchedule_isRejectedWithTheFactoriesToUse() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> new SecretRotation(stack, "Rotation", SecretRotationProps.of(
                TestSupport.importedSecret(stack, "S", TestSupport.SECRET_ARN), rotator, null)))
                .hasMessageContaining("schedule must be set, got null")
                .hasMessageContaining("RotationCalendar.forTier");
    }
}
