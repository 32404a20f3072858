package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RotationAlarmsTest {

    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator with a sweep
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = TestSupport.rotatorWithSecret(stack, TestSupport.props().build());
        RetirementSweep sweep = new RetirementSweep(stack, "Sweep", rotator, null);

        // WHEN
        new RotationAlarms(stack, "Monitoring", RotationAlarmsProps.of(rotator)
                .withSweep(sweep)
                .withAlarmEmail("oncall@example.com"));
        template = Template.fromStack(stack);
    }

    private static void hasAlarm(String namespace, String metric, Object threshold, Object dimensions) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", namespace,
                "MetricName", metric,
                "Threshold", threshold,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "TreatMissingData", "notBreaching",
                "Dimensions", dimensions,
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("MonitoringTopic.*"))))));
    }

    @Test
    void topic_isEncryptedWithARotatingKeyAndRequiresTls() {
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Match.anyValue())));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void alarmEmail_isSubscribed() {
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of(
                "Protocol", "email", "Endpoint", "oncall@example.com")));
    }

    @Test
    void functionErrors_alarm() {
        hasAlarm("AWS/Lambda", "Errors", 1, Match.anyValue());
    }

    @Test
    void functionThrottles_alarm() {
        hasAlarm("AWS/Lambda", "Throttles", 1, Match.anyValue());
    }

    @Test
    void durationNearTimeout_alarmsAt80PercentOfTheTimeout() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "Duration",
                "Statistic", "Maximum",
                "Threshold", 96000)));
    }

    @Test
    void staleCredentialInUse_alarmSelectsThisDeploymentsFunction() {
        hasAlarm("SecretRotator", "StaleCredentialInUse", 1, List.of(Map.of(
                "Name", "FunctionName", "Value", Map.of("Ref", Match.stringLikeRegexp("RotatorFunction.*")))));
    }

    @Test
    void sweepFailed_alarmSelectsThisDeploymentsFunction() {
        hasAlarm("SecretRotator", "SweepFailed", 1, List.of(Map.of(
                "Name", "FunctionName", "Value", Map.of("Ref", Match.stringLikeRegexp("RotatorFunction.*")))));
    }

    @Test
    void sweepInvocationFailures_alarmOnTheSweepRule() {
        hasAlarm("AWS/Events", "FailedInvocations", 1, List.of(Map.of(
                "Name", "RuleName", "Value", Map.of("Ref", Match.stringLikeRegexp("SweepRule.*")))));
    }

    @Test
    void rotationFailedAndAbandoned_matchBothCloudTrailDetailTypes_andNotifyTheTopic() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventPattern", Map.of(
                        "source", List.of("aws.secretsmanager"),
                        "detail-type", List.of("AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"),
                        "detail", Map.of(
                                "eventSource", List.of("secretsmanager.amazonaws.com"),
                                "eventName", List.of("RotationFailed", "RotationAbandoned"))),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("MonitoringTopic.*"))))))));
    }

    @Test
    void topicKey_letsCloudWatchAndEventBridgePublish() {
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of(
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", List.of("cloudwatch.amazonaws.com", "events.amazonaws.com"))))))))
        )));
    }

    @Test
    void topicKeyAndTopicPolicy_acceptOnlyThisAccountsAlarmsAndRule() {
        Map<String, Object> json = template.toJSON();
        Map<String, Object> keyStatement = statementWithSid(json, "AWS::KMS::Key", "KeyPolicy", "AlarmsAndEventsPublish");
        Map<String, Object> topicStatement = statementWithSid(json, "AWS::SNS::TopicPolicy", "PolicyDocument", "RotationFailedRulePublishes");

        assertThat(keyStatement.get("Condition").toString())
                .contains("StringEquals={aws:SourceAccount=123456789012}", "aws:SourceArn", ":cloudwatch:", "alarm:*", ":events:", "rule/*");
        assertThat(topicStatement.get("Condition").toString())
                .contains("StringEquals={aws:SourceAccount=123456789012}", "ArnEquals={aws:SourceArn={Fn::GetAtt=[MonitoringRotationFailedRule");
        // and no statement lets a service principal publish or use the key without a source condition
        for (String type : List.of("AWS::KMS::Key", "AWS::SNS::TopicPolicy")) {
            statements(json, type).stream().filter(s -> s.get("Principal").toString().contains("Service"))
                    .forEach(s -> assertThat(s).as("%s statement %s", type, s.get("Sid")).containsKey("Condition"));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Map<String, Object> json, String type) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        ((Map<String, Object>) json.get("Resources")).values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> type.equals(r.get("Type"))).forEach(r -> {
                    Map<String, Object> props = (Map<String, Object>) r.get("Properties");
                    Map<String, Object> doc = (Map<String, Object>) props.getOrDefault("KeyPolicy", props.get("PolicyDocument"));
                    out.addAll((List<Map<String, Object>>) doc.get("Statement"));
                });
        return out;
    }

    static Map<String, Object> statementWithSid(Map<String, Object> json, String type, String document, String sid) {
        return statements(json, type).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + document + " statement " + sid));
    }

    @Test
    void invalidEmail_isRejected() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> new RotationAlarms(stack, "Monitoring",
                RotationAlarmsProps.of(rotator).withAlarmEmail("oncall")))
                .hasMessageContaining("alarmEmail must be an e-mail address, got 'oncall'");
    }

    @Test
    void durationThresholdOutOfRange_isRejected() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> new RotationAlarms(stack, "Monitoring",
                RotationAlarmsProps.of(rotator).withDurationThresholdPercent(120)))
                .hasMessageContaining("durationThresholdPercent must be between 50 and 100, got 120");
    }
}
