package dev.secretrotator.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * Properties of {@link AutoRollback}. Immutable; start with {@link #of} and change the defaults with
 * the {@code with...} methods.
 *
 * @param authFailures      the consumers' authentication-failure count (for example their API's 401s): a
 *                          {@code Metric}, or a {@code MathExpression} over metrics with the Sum statistic.
 *                          Whatever statistic and period it carries, the alarm evaluates its Sum per minute
 * @param threshold         failures per minute that mean "the new credential broke consumers"; at least 1
 * @param alarmTopic            the topic paged on every automatic rollback and every refusal, for example
 *                          {@link RotationAlarms#getTopic()}; required
 * @param window            how long after a rotation an alarm may roll it back; 5 minutes to 7 days.
 *                          Default 2 hours
 * @param datapointsToAlarm minutes at or above the threshold, out of {@code evaluationPeriods}, before the
 *                          alarm fires. Default 2
 * @param evaluationPeriods the minutes the alarm looks back on; 1 to 60. Default 3
 */
public record AutoRollbackProps(IMetric authFailures, double threshold, ITopic alarmTopic, Duration window,
                                int datapointsToAlarm, int evaluationPeriods) {

    public static final Duration DEFAULT_WINDOW = Duration.hours(2);
    public static final int DEFAULT_DATAPOINTS_TO_ALARM = 2;
    public static final int DEFAULT_EVALUATION_PERIODS = 3;

    /** Roll back when {@code authFailures} reaches {@code threshold} per minute in 2 of 3 minutes, within 2 hours of a rotation. */
    public static AutoRollbackProps of(IMetric authFailures, double threshold, ITopic alarmTopic) {
        return new AutoRollbackProps(authFailures, threshold, alarmTopic, DEFAULT_WINDOW,
                DEFAULT_DATAPOINTS_TO_ALARM, DEFAULT_EVALUATION_PERIODS);
    }

    public AutoRollbackProps withWindow(Duration value) {
        return new AutoRollbackProps(authFailures, threshold, alarmTopic, value, datapointsToAlarm, evaluationPeriods);
    }

    /** M of N: alarm when {@code datapoints} of the last {@code periods} minutes reach the threshold. */
    public AutoRollbackProps withEvaluation(int datapoints, int periods) {
        return new AutoRollbackProps(authFailures, threshold, alarmTopic, window, datapoints, periods);
    }
}
