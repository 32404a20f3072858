package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sns.Topic;

class AutoRollbackTest {
    private static Template template;
    private static Stack stack;
    private static SecretRotatorFunction rotator;
    private static Topic topic;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator, a secret, an on-call topic and the consumers' 401 metric as CDK defaults it (5-minute Average)
        stack = TestSupport.stack();
        rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        topic = new Topic(stack, "OnCall");
        var secret = TestSupport.importedSecret(stack, "Imported", TestSupport.SECRET_ARN);
        rotator.addRotatedSecret(secret);

        // WHEN automatic rollback is switched on with one construct
        new AutoRollback(stack, "AutoRollback", secret, rotator, AutoRollbackProps.of(averageMetric(), 10, topic));
        template = Template.fromStack(stack);
    }

    static Metric averageMetric() {
        return Metric.Builder.create().namespace("Checkout").metricName("Http401").build();
    }

    @Test
    void alarm_countsFailuresPerMinute_inMOfNMinutes_whateverTheMetricCarries() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "Checkout", "MetricName", "Http401", "Threshold", 10,
                "Statistic", "Sum", "Period", 60, "EvaluationPeriods", 3, "DatapointsToAlarm", 2,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching")));
    }

    @Test
    void mathExpression_getsAOneMinutePeriod_andOneOverANonSumIsRefused() {
        Metric sum = averageMetric().with(software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().statistic("Sum").build());
        MathExpression ok = MathExpression.Builder.create().expression("a + b")
                .usingMetrics(Map.of("a", sum, "b", sum)).build();
        assertThat(((MathExpression) AutoRollback.perMinuteSum(ok)).getPeriod().toSeconds()).isEqualTo(60);

        MathExpression average = MathExpression.Builder.create().expression("a * 2")
                .usingMetrics(Map.of("a", averageMetric())).build();
        assertThatThrownBy(() -> AutoRollback.perMinuteSum(average))
                .hasMessageContaining("metric 'a' is not a Sum (got Average)");
    }

    @Test
    void alarmStateChange_invokesRollbackWithTheWindow_withTheFixturesPattern_andADeadLetterQueue() throws IOException {
        Map<String, Object> rule = onlyRule(Match.objectLike(Map.of("EventPattern",
                Match.objectLike(Map.of("source", List.of("aws.cloudwatch"))))));
        @SuppressWarnings("unchecked")
        Map<String, Object> pattern = new LinkedHashMap<>((Map<String, Object>) rule.get("EventPattern"));
        assertThat(pattern.get("resources").toString()).contains("AutoRollbackAuthFailures");
        pattern.put("resources", List.of("${AlarmArn}"));
        assertThat(pattern).as("the pattern AutoRollbackIT drives with CloudWatch events").isEqualTo(fixture("auto-rollback-trigger-pattern.json"));

        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(Match.objectLike(Map.of(
                "Input", Match.serializedJson(Match.objectLike(Map.of("action", "rollback",
                        "secretId", TestSupport.SECRET_ARN, "window", "PT120M"))),
                "DeadLetterConfig", Match.objectLike(Map.of("Arn", Match.anyValue())),
                "RetryPolicy", Map.of("MaximumRetryAttempts", 2, "MaximumEventAgeInSeconds", 3600)))))));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "events.amazonaws.com", "Action", "lambda:InvokeFunction")));
    }

    @Test
    void everyAutomaticRollbackAndRefusal_pagesTheTopic() throws IOException {
        Map<String, Object> rule = onlyRule(Match.objectLike(Map.of("EventPattern",
                Match.objectLike(Map.of("source", List.of("secret-rotator"))))));
        @SuppressWarnings("unchecked")
        Map<String, Object> pattern = new LinkedHashMap<>((Map<String, Object>) rule.get("EventPattern"));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = new LinkedHashMap<>((Map<String, Object>) pattern.get("detail"));
        assertThat(detail.get("secretArn")).isEqualTo(List.of(TestSupport.SECRET_ARN));
        detail.put("secretArn", List.of("${SecretArn}"));
        pattern.put("detail", detail);
        assertThat(pattern).as("the pattern AutoRollbackIT pages through").isEqualTo(fixture("auto-rollback-notify-pattern.json"));
        assertThat(rule.get("Targets").toString()).contains("OnCall");

        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "events.amazonaws.com"), "Action", "sns:Publish",
                        "Condition", Match.objectLike(Map.of("ArnEquals", Match.anyValue()))))))))))); 
    }

    @Test
    void secretRotation_wiresAutomaticRollbackFromOneSetting() {
        // GIVEN / WHEN
        Stack other = TestSupport.stack();
        SecretRotatorFunction fn = new SecretRotatorFunction(other, "Rotator", TestSupport.props().build());
        new SecretRotation(other, "Rotation", SecretRotationProps.of(TestSupport.importedSecret(other, "S", TestSupport.SECRET_ARN),
                fn, RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)).withAutoRollback(averageMetric(), 10, new Topic(other, "T")));

        // THEN
        Template t = Template.fromStack(other);
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "Http401", "Threshold", 10,
                "Statistic", "Sum", "Period", 60)));
        t.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(Match.objectLike(Map.of(
                "Input", Match.serializedJson(Match.objectLike(Map.of("action", "rollback", "window", "PT120M")))))))));
        t.resourceCountIs("AWS::Events::Rule", 2);
    }

    @Test
    void props_areValidatedWithHelpfulMessages() {
        ISecret secret = TestSupport.importedSecret(stack, "Other", TestSupport.SECRET_ARN);
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad1", secret, rotator, AutoRollbackProps.of(null, 5, topic)))
                .hasMessageContaining("authFailures must be set, got null");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad2", secret, rotator, AutoRollbackProps.of(averageMetric(), 0, topic)))
                .hasMessageContaining("threshold must be at least 1 failure per minute, got 0.0");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad3", secret, rotator,
                AutoRollbackProps.of(averageMetric(), 5, topic).withWindow(Duration.days(30))))
                .hasMessageContaining("window must be between 5 minutes and 7 days, got 30 days");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad4", secret, rotator, AutoRollbackProps.of(averageMetric(), 5, null)))
                .hasMessageContaining("alarmTopic must be set");
        assertThatThrownBy(() -> new AutoRollback(stack, "Bad5", secret, rotator,
                AutoRollbackProps.of(averageMetric(), 5, topic).withEvaluation(4, 3)))
                .hasMessageContaining("1 <= M <= N <= 60, got 4 of 3");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyRule(Object match) {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule",
                Map.of("Properties", match));
        assertThat(rules).hasSize(1);
        return (Map<String, Object>) rules.values().iterator().next().get("Properties");
    }

    private static Map<String, Object> fixture(String file) throws IOException {
        return JSON.std.mapFrom(Files.readString(TestSupport.repoDir().resolve("test-fixtures/src/main/resources/events/" + file)));
    }
}
