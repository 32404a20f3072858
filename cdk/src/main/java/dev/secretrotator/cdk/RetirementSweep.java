package dev.secretrotator.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.constructs.Construct;

/**
 * Invokes the rotator on a schedule with {@code {"action":"sweep","secretIds":[...]}} so previous
 * credentials move through grace, deactivation and deletion. The input lists the rotated secrets
 * (complete at synth), because finding them with ListSecrets would need a {@code "*"} resource.
 * When secrets are selected by tag or name prefix ({@link SecretRotatorFunction#isSelected()}) no
 * list exists and the input must not grow with the estate: it is {@code {"action":"sweep"}} and the
 * function finds the secrets it rotates with a filtered ListSecrets, which that mode grants. An
 * invocation that EventBridge cannot deliver, or that fails on every attempt, lands in the
 * rotator's {@link FailedInvocations} queue.
 */
public class RetirementSweep extends Construct {

    /** Hourly: retirement steps are hours long (grace 24 h, quiet 4 h), so an hour's lag is immaterial. */
    public static final String DEFAULT_SCHEDULE = "rate(1 hour)";

    /** Lambda SnapStart drops the snapshot of a version not invoked for this many days. */
    static final int SNAPSHOT_IDLE_DAYS = 14;

    private final Rule rule;

    /**
     * @param rotator            the function to invoke
     * @param scheduleExpression an EventBridge {@code rate()} or {@code cron()} expression; null for
     *                           {@link #DEFAULT_SCHEDULE}
     */
    public RetirementSweep(Construct scope, String id, SecretRotatorFunction rotator, String scheduleExpression) {
        super(scope, id);
        if (rotator == null) {
            throw new IllegalArgumentException("rotator must be set, got null");
        }
        String expression = scheduleExpression == null ? DEFAULT_SCHEDULE : scheduleExpression;
        if (!expression.matches("^(rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$")) {
            throw new IllegalArgumentException("sweep schedule must be rate(<n> <unit>) or cron(...), "
                    + "for example rate(1 hour), got '" + expression + "'");
        }
        requireFreshSnapshot(rotator, expression);
        this.rule = Rule.Builder.create(this, "Rule")
                .description("secret-rotator retirement sweep")
                .schedule(Schedule.expression(expression))
                .build();
        rule.addTarget(LambdaFunction.Builder.create(rotator.getInvokeTarget())
                .event(RuleTargetInput.fromObject(sweepInput(rotator)))
                .retryAttempts(2)
                .maxEventAge(Duration.hours(1))
                .deadLetterQueue(rotator.getFailedInvocations().getQueue())
                .build());
    }

    /**
     * With SnapStart the sweep is what keeps the live version's snapshot from expiring (Lambda drops
     * it after 14 days without an invocation), so a rate of 14 days or more is refused.
     */
    private static void requireFreshSnapshot(SecretRotatorFunction rotator, String expression) {
        java.util.regex.Matcher days = java.util.regex.Pattern.compile("^rate\\((\\d+) days?\\)$").matcher(expression);
        if (rotator.getProps().snapStart() && days.matches() && Long.parseLong(days.group(1)) >= SNAPSHOT_IDLE_DAYS) {
            throw new IllegalArgumentException("with snapStart the sweep must run more often than every "
                    + SNAPSHOT_IDLE_DAYS + " days (Lambda drops an idle snapshot after " + SNAPSHOT_IDLE_DAYS
                    + " days), got '" + expression + "'; use the default " + DEFAULT_SCHEDULE);
        }
    }

    private static Map<String, Object> sweepInput(SecretRotatorFunction rotator) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action", "sweep");
        if (!rotator.isSelected()) {
            // lazy: secrets registered after this construct are swept too
            input.put("secretIds", rotator.lazyRotatedSecretArns());
        }
        return input;
    }

    public Rule getRule() {
        return rule;
    }
}
