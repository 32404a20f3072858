package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.cdk.config.RotationConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The app's stack built from the sample cdk/rotation-config.json. */
class SecretRotatorStackTest {

    private static RotationConfig config;
    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN the sample configuration
        config = RotationConfig.load(TestSupport.moduleDir().resolve("rotation-config.json"));

        // WHEN
        SecretRotatorStack stack = new SecretRotatorStack(new App(), "SecretRotator", StackProps.builder().build(),
                config, TestSupport.code());
        template = Template.fromStack(stack);
    }

    @Test
    void everyConfiguredSecret_getsOneRotationSchedule() {
        template.resourceCountIs("AWS::SecretsManager::RotationSchedule", config.secrets().size());
        for (var secret : config.secrets()) {
            template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                    "SecretId", secret.secretArn())));
        }
    }

    @Test
    void stagingRotatesOnTheSecondTuesday_productionOnTheThird() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", Match.stringLikeRegexp(".*:secret:staging/ci-deployer-.*"),
                "RotationRules", Map.of("ScheduleExpression", "cron(0 9 ? * TUE#2 *)", "Duration", "4h"))));
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", Match.stringLikeRegexp(".*:secret:production/ci-deployer-.*"),
                "RotationRules", Map.of("ScheduleExpression", "cron(0 9 ? * TUE#3 *)", "Duration", "4h"))));
    }

    @Test
    void rotateImmediatelyOnUpdate_followsTheConfigurationPerSecret() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "SecretId", Match.stringLikeRegexp(".*:secret:production/reporting-db-.*"),
                "RotateImmediatelyOnUpdate", true)));
        assertThat(template.findResources("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("RotateImmediatelyOnUpdate", false)))))).hasSize(5);
    }

    @Test
    void stackHasOneFunctionASweepAndTheAlarmTopic() {
        template.resourceCountIs("AWS::Lambda::Function", 1);
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.resourceCountIs("AWS::CloudWatch::Alarm", 7);
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(1 hour)")));
        template.hasOutput("RotationFunctionArn", Match.anyValue());
        template.hasOutput("AlarmTopicArn", Match.anyValue());
    }

    @Test
    void constructIds_areStable() {
        // renaming these replaces resources in deployed stacks
        assertThat(template.findResources("AWS::Lambda::Function").keySet())
                .singleElement().asString().startsWith("RotatorFunction");
        assertThat(template.findResources("AWS::SecretsManager::RotationSchedule").keySet())
                .anySatisfy(id -> assertThat(id).startsWith("RotationsCiDeployerProductionSchedule"));
    }
}
