package dev.secretrotator.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What makes rotation safe to forget: an encrypted SNS topic, alarms on the function (errors,
 * throttles, duration near the timeout), on the rotator's own metrics of this deployment (stale
 * credential in use, sweep failures; selected by {@code FunctionName}) and on the sweep schedule, and an EventBridge rule that forwards Secrets Manager's
 * {@code RotationFailed} and {@code RotationAbandoned} events to the topic.
 */
public class RotationAlarms extends Construct {

    /**
     * The rotator's EMF namespace. Alarms select each metric by {@link #FUNCTION_DIMENSION}, so two
     * deployments in one account and region never alarm on each other's metrics.
     */
    public static final String NAMESPACE = "SecretRotator";

    /** The dimension the function adds to every metric: its own name ({@code AWS_LAMBDA_FUNCTION_NAME}). */
    public static final String FUNCTION_DIMENSION = "FunctionName";

    private final Topic topic;
    private final Rule rotationFailedRule;

    public RotationAlarms(Construct scope, String id, RotationAlarmsProps props) {
        super(scope, id);
        validate(props);
        Key key = Key.Builder.create(this, "TopicKey")
                .description("Encrypts the secret-rotator alarm topic")
                .enableKeyRotation(true)
                .build();
        Stack stack = Stack.of(this);
        // CloudWatch alarms and EventBridge publish to the encrypted topic with their service principals;
        // the source conditions keep another account's alarms and rules from using this key (confused deputy)
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AlarmsAndEventsPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com"),
                        new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", List.of(
                                sourceArn(stack, "cloudwatch", "alarm:*"), sourceArn(stack, "events", "rule/*")))))
                .build());
        this.topic = Topic.Builder.create(this, "Topic")
                .displayName("secret-rotator alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        if (props.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(props.alarmEmail()));
        }

        var function = props.rotator().getFunction();
        MetricOptions fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        alarm("FunctionErrors", function.metricErrors(fiveMinuteSum), 1,
                "The rotation function failed: a rotation step or an operation raised an error");
        alarm("FunctionThrottles", function.metricThrottles(fiveMinuteSum), 1,
                "The rotation function was throttled: Secrets Manager retries, but rotations are delayed");
        double timeoutMs = props.rotator().getProps().timeout().toMilliseconds().doubleValue();
        alarm("DurationNearTimeout", function.metricDuration(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Maximum").build()),
                timeoutMs * props.durationThresholdPercent() / 100.0,
                "An invocation used " + props.durationThresholdPercent() + " % of the timeout: raise it before "
                        + "verification polling is cut short");
        alarm("StaleCredentialInUse", rotatorMetric(function, "StaleCredentialInUse", Duration.hours(1)), 1,
                "A previous credential is still in use after its grace period: retirement is blocked until "
                        + "its consumers move to the current one");
        alarm("SweepFailed", rotatorMetric(function, "SweepFailed", Duration.hours(1)), 1,
                "The retirement sweep failed for a secret: previous credentials are not being retired");
        alarm("FailedInvocations", props.rotator().getFailedInvocations().metricMessagesVisible(), 1,
                "An asynchronous invocation of the rotator (retirement sweep or automatic rollback) failed on every "
                        + "attempt or could not be delivered: it waits in the FailedInvocations queue; see docs/runbook.md");
        if (props.sweep() != null) {
            alarm("SweepInvocationFailed", Metric.Builder.create()
                            .namespace("AWS/Events").metricName("FailedInvocations")
                            .dimensionsMap(Map.of("RuleName", props.sweep().getRule().getRuleName()))
                            .statistic("Sum").period(Duration.hours(1)).build(), 1,
                    "EventBridge could not invoke the retirement sweep");
        }

        this.rotationFailedRule = Rule.Builder.create(this, "RotationFailedRule")
                .description("Secrets Manager RotationFailed and RotationAbandoned events")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.secretsmanager"))
                        // service events arrive as either detail-type depending on how CloudTrail records them
                        .detailType(List.of("AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"))
                        .detail(Map.of(
                                "eventSource", List.of("secretsmanager.amazonaws.com"),
                                "eventName", List.of("RotationFailed", "RotationAbandoned")))
                        .build())
                .build();
        // not the SnsTopic target: it grants events.amazonaws.com sns:Publish without a source condition
        ((CfnRule) rotationFailedRule.getNode().getDefaultChild()).setTargets(List.of(
                CfnRule.TargetProperty.builder().id("AlarmTopic").arn(topic.getTopicArn()).build()));
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("RotationFailedRulePublishes")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnEquals", Map.of("aws:SourceArn", rotationFailedRule.getRuleArn())))
                .build());
    }

    private static String sourceArn(Stack stack, String service, String resource) {
        return "arn:" + stack.getPartition() + ":" + service + ":" + stack.getRegion() + ":" + stack.getAccount() + ":" + resource;
    }

    private static void validate(RotationAlarmsProps props) {
        if (props == null || props.rotator() == null) {
            throw new IllegalArgumentException("rotator must be set, got null; use RotationAlarmsProps.of(rotator)");
        }
        int pct = props.durationThresholdPercent();
        if (pct < 50 || pct > 100) {
            throw new IllegalArgumentException("durationThresholdPercent must be between 50 and 100, got " + pct);
        }
        String email = props.alarmEmail();
        if (email != null && !email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            throw new IllegalArgumentException("alarmEmail must be an e-mail address, got '" + email + "'");
        }
    }

    /** One of the function's own EMF metrics, this deployment's only. */
    public static Metric rotatorMetric(software.amazon.awscdk.services.lambda.IFunction function, String name, Duration period) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name)
                .dimensionsMap(Map.of(FUNCTION_DIMENSION, function.getFunctionName()))
                .statistic("Sum").period(period).build();
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }

    public Topic getTopic() {
        return topic;
    }

    public Rule getRotationFailedRule() {
        return rotationFailedRule;
    }
}
