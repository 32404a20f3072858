package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Metric;

class AutoRollbackTest {
    private static Template template;
    private static Stack stack;
    private static SecretRotatorFunction rotator;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator, a secret and the consumers' 401 metric
        stack = TestSupport.stack();
        rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        var secret = TestSupport.importedSecret(stack, "Imported", TestSupport.SECRET_ARN);
        rotator.addRotatedSecret(secret);

        // WHEN automatic rollback is switched on with one construct
        new AutoRollback(stack, "AutoRollback", secret, rotator, metric(), 5, Duration.hours(2));
        template = Template.fromStack(stack);
    }

    static Metric metric() {
        return Metric.Builder.create().namespace("Checkout").metricName("Http401").statistic("Sum")
                .period(Duration.minutes(1)).build();
    }

    @Test
    void alarm_watchesTheConsumersAuthFailures() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "Checkout", "MetricName", "Http401", "Threshold", 5,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching")));
    }

    @Test
    void alarmStateChange_invokesRollbackWithTheWindow() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Match.objectLike(Map.of(
                        "source", List.of("aws.cloudwatch"),
                        "detail-type", List.of("CloudWatch Alarm State Change"),
                        "detail", Map.of("state", Map.of("value", List.of("ALARM"))))),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Input", Match.serializedJson(Match.objectLike(Map.of("action", "rollback",
                                "secretId", TestSupport.SECRET_ARN, "window", "PT120M")))))))));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "events.amazonaws.com", "Action", "lambda:InvokeFunction")));
    }

    @Test
    void secretRotation_wiresAutomaticRollbackFromOneSetting() {
        // GIVEN / WHEN
        Stack other = TestSupport.stack();
        SecretRotatorFunction fn = new SecretRotatorFunction(other, "Rotator", TestSupport.props().build());
        new SecretRotation(other, "Rotation", SecretRotationProps.of(TestSupport.importedSecret(other, "S", TestSupport.SECRET_ARN),
                fn, RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)).withAutoRollback(metric(), 10));

        // THEN
        Template t = Template.fromStack(other);
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "Http401", "Threshold", 10)));
        t.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(Match.objectLike(Map.of(
                "Input", Match.serializedJson(Match.objectLike(Map.of("action", "rollback", "window", "PT120M")))))))));
    }

    @Test
    void props_areValidatedWithHelpfulMessages() {
        var secret = TestSupport.importedSecret(stack, "Other", TestSupport.SECRET_ARN);
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad1", secret, rotator, null, 5, Duration.hours(1)))
                .hasMessageContaining("authFailures must be set, got null");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad2", secret, rotator, metric(), 0, Duration.hours(1)))
                .hasMessageContaining("threshold must be at least 1 failure per minute, got 0.0");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad3", secret, rotator, metric(), 5, Duration.days(30)))
                .hasMessageContaining("window must be between 5 minutes and 7 days, got 30 days");
    }
}
