package dev.secretrotator.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Automatic rollback of one secret: when a consumer's auth-failure metric (for example its API's
 * 401 count) alarms, an EventBridge rule on the alarm's state change invokes the rotator with
 * {@code {"action": "rollback", "secretId": ..., "window": ...}}. The function rolls back only if
 * the current version took over within the window, so an alarm long after a rotation is left to
 * people.
 */
public class AutoRollback extends Construct {
    private final Alarm alarm;
    private final Rule rule;

    /**
     * @param authFailures the consumers' authentication-failure metric (sum per minute)
     * @param threshold    failures per minute that mean "the new credential broke consumers"; at least 1
     * @param window       how long after a rotation an alarm may roll it back; 5 minutes to 7 days
     */
    public AutoRollback(Construct scope, String id, ISecret secret, SecretRotatorFunction rotator,
                        IMetric authFailures, double threshold, Duration window) {
        super(scope, id);
        if (authFailures == null) {
            throw new IllegalArgumentException("authFailures must be set, got null; name the consumers' 401 metric");
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1 failure per minute, got " + threshold);
        }
        if (window == null || window.toMinutes().doubleValue() < 5 || window.toMinutes().doubleValue() > 7 * 24 * 60) {
            throw new IllegalArgumentException("window must be between 5 minutes and 7 days, got "
                    + (window == null ? "null" : window.toHumanString()));
        }
        this.alarm = Alarm.Builder.create(this, "AuthFailures")
                .alarmDescription("Consumers of " + secret.getSecretName() + " fail to authenticate: roll back its last rotation")
                .metric(authFailures)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
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
                        "window", "PT" + window.toMinutes().longValue() + "M")))
                .build());
    }

    public Alarm getAlarm() {
        return alarm;
    }

    public Rule getRule() {
        return rule;
    }
}
