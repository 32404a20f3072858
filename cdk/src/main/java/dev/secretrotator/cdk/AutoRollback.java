package dev.secretrotator.cdk;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MathExpressionOptions;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Automatic rollback of one secret that cannot flap. When the consumers' auth-failure count reaches
 * the threshold per minute (Sum per minute, whatever the given metric carries) in M of N minutes, an
 * EventBridge rule on the alarm's "ALARM" state change invokes the rotator asynchronously with
 * {@code {"action": "rollback", "secretId": ..., "window": ...}}. The function rolls back at most once
 * per rotation, and only a rotation whose cutover it recorded within the window; a second alarm, an
 * alarm after a rollback or after the window is refused and pages instead. A second rule sends the
 * function's "Secret Rolled Back" ({@code automatic: true}) and "Automatic Rollback Refused" events of
 * this secret to the {@code alarmTopic}. An invocation that fails or cannot be delivered lands in
 * the rotator's {@link FailedInvocations} queue.
 */
public class AutoRollback extends Construct {
    private final Alarm alarm;
    private final Rule rule;
    private final Rule notifyRule;

    public AutoRollback(Construct scope, String id, ISecret secret, SecretRotatorFunction rotator, AutoRollbackProps props) {
        super(scope, id);
        validate(props);
        this.alarm = Alarm.Builder.create(this, "AuthFailures")
                .alarmDescription("Consumers of " + secret.getSecretName() + " fail to authenticate: roll back its last rotation")
                .metric(perMinuteSum(props.authFailures()))
                .threshold(props.threshold())
                .evaluationPeriods(props.evaluationPeriods())
                .datapointsToAlarm(props.datapointsToAlarm())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                // no data = no failures
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        this.rule = Rule.Builder.create(this, "OnAlarm")
                .description("secret-rotator: roll back a rotation that broke its consumers")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.cloudwatch"))
                        .detailType(List.of("CloudWatch Alarm State Change"))
                        .resources(List.of(alarm.getAlarmArn()))
                        .detail(Map.of("state", Map.of("value", List.of("ALARM"))))
                        .build())
                .build();
        rule.addTarget(LambdaFunction.Builder.create(rotator.getInvokeTarget())
                .event(RuleTargetInput.fromObject(Map.of("action", "rollback", "secretId", secret.getSecretArn(),
                        "window", "PT" + props.window().toMinutes().longValue() + "M")))
                .retryAttempts(2)
                .maxEventAge(Duration.hours(1))
                .deadLetterQueue(rotator.getFailedInvocations().getQueue())
                .build());
        this.notifyRule = notifyRule(secret, rotator, props);
    }

    /** The function's outcome events for this secret to the on-call topic. */
    private Rule notifyRule(ISecret secret, SecretRotatorFunction rotator, AutoRollbackProps props) {
        Rule notify = Rule.Builder.create(this, "Outcome")
                .description("secret-rotator: page on every automatic rollback and every refusal")
                .eventBus(rotator.getEventBus())
                .eventPattern(EventPattern.builder()
                        .source(List.of("secret-rotator"))
                        .detailType(List.of("Secret Rolled Back", "Automatic Rollback Refused"))
                        .detail(Map.of("secretArn", List.of(secret.getSecretArn()), "automatic", List.of(true)))
                        .build())
                .build();
        // not the SnsTopic target: it grants events.amazonaws.com sns:Publish without a source condition
        ((CfnRule) notify.getNode().getDefaultChild()).setTargets(List.of(
                CfnRule.TargetProperty.builder().id("OnCall").arn(props.alarmTopic().getTopicArn()).build()));
        props.alarmTopic().addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(props.alarmTopic().getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()),
                        "ArnEquals", Map.of("aws:SourceArn", notify.getRuleArn())))
                .build());
        return notify;
    }

    /**
     * The metric as a Sum per minute: a 0/1 or count metric averaged over 5 minutes (CDK's default)
     * never reaches "10 failures per minute".
     *
     * @throws IllegalArgumentException for a math expression over a metric that is not a Sum, or an IMetric of another kind
     */
    static IMetric perMinuteSum(IMetric metric) {
        if (metric instanceof Metric m) {
            return m.with(MetricOptions.builder().statistic("Sum").period(Duration.minutes(1)).build());
        }
        if (metric instanceof MathExpression e) {
            e.getUsingMetrics().forEach((name, used) -> {
                if (!(used instanceof Metric m) || !"sum".equals(m.getStatistic().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("authFailures is a math expression whose metric '" + name
                            + "' is not a Sum (got " + (used instanceof Metric m ? m.getStatistic() : used) + "); the alarm"
                            + " counts failures per minute, so every metric in the expression must use statistic Sum");
                }
            });
            return e.with(MathExpressionOptions.builder().period(Duration.minutes(1)).build());
        }
        throw new IllegalArgumentException("authFailures must be a Metric or a MathExpression, got " + metric);
    }

    private static void validate(AutoRollbackProps props) {
        if (props == null || props.authFailures() == null) {
            throw new IllegalArgumentException("authFailures must be set, got null; name the consumers' 401 metric");
        }
        if (props.threshold() < 1) {
            throw new IllegalArgumentException("threshold must be at least 1 failure per minute, got " + props.threshold());
        }
        if (props.alarmTopic() == null) {
            throw new IllegalArgumentException("alarmTopic must be set, got null: the topic paged on every automatic rollback"
                    + " and refusal, for example RotationAlarms.getTopic()");
        }
        Duration window = props.window();
        if (window == null || window.toMinutes().doubleValue() < 5 || window.toMinutes().doubleValue() > 7 * 24 * 60) {
            throw new IllegalArgumentException("window must be between 5 minutes and 7 days, got "
                    + (window == null ? "null" : window.toHumanString()));
        }
        int m = props.datapointsToAlarm();
        int n = props.evaluationPeriods();
        if (n < 1 || n > 60 || m < 1 || m > n) {
            throw new IllegalArgumentException("evaluation must be M of N minutes with 1 <= M <= N <= 60, got "
                    + m + " of " + n);
        }
    }

    public Alarm getAlarm() {
        return alarm;
    }

    public Rule getRule() {
        return rule;
    }

    /** The rule that pages {@code alarmTopic} on every automatic rollback and refusal. */
    public Rule getNotifyRule() {
        return notifyRule;
    }
}
