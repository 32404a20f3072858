package dev.secretrotator.cdk;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class FailedInvocationsTest {
    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator with its sweep and alarms
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        rotator.addRotatedSecret(TestSupport.importedSecret(stack, "S", TestSupport.SECRET_ARN));
        RetirementSweep sweep = new RetirementSweep(stack, "Sweep", rotator, null);
        new RotationAlarms(stack, "Monitoring", RotationAlarmsProps.of(rotator).withSweep(sweep));
        template = Template.fromStack(stack);
    }

    @Test
    void queue_isEncrypted_andTlsOnly() {
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1209600)));
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))))); 
    }

    @Test
    void failedAsynchronousInvocations_goToTheQueue() {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of(
                "Qualifier", "$LATEST", "MaximumRetryAttempts", 2, "MaximumEventAgeInSeconds", 3600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Match.objectLike(Map.of(
                        "Fn::GetAtt", Match.arrayWith(List.of("Arn"))))))))); 
    }

    @Test
    void undeliverableSweepEvents_goToTheQueue() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(Match.objectLike(Map.of(
                "DeadLetterConfig", Match.objectLike(Map.of("Arn", Match.anyValue())))))))); 
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Allow", "Action", "sqs:SendMessage",
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Condition", Match.objectLike(Map.of("ArnEquals", Match.anyValue())))))))))));
    }

    @Test
    void aMessageInTheQueue_alarmsTheTopic() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/SQS", "MetricName", "ApproximateNumberOfMessagesVisible",
                "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("MonitoringTopic.*")))))));
    }
}
