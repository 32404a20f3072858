package dev.secretrotator.cdk;

import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * Properties of {@link SecretRotation}.
 *
 * @param secret                    the secret to rotate; in the rotator's stack or imported by complete ARN
 * @param rotator                   the function that rotates it
 * @param schedule                  when: {@link RotationCalendar#forTier} or {@link RotationCalendar#cron}
 * @param rotateImmediatelyOnUpdate rotate as soon as the schedule is created or changed. Default (see
 *                                  {@link #of}) false: a deployment must not rotate production credentials
 *                                  outside the window and before staging has rotated; set true for a new
 *                                  secret that still holds a placeholder value
 * @param autoRollback              roll back automatically when consumers fail to authenticate soon after a
 *                                  rotation; default (null) off. See {@link AutoRollback}
 */
public record SecretRotationProps(ISecret secret, SecretRotatorFunction rotator, RotationCalendar schedule,
                                  boolean rotateImmediatelyOnUpdate, AutoRollbackProps autoRollback) {

    /** Props with {@code rotateImmediatelyOnUpdate = false} and no automatic rollback. */
    public static SecretRotationProps of(ISecret secret, SecretRotatorFunction rotator, RotationCalendar schedule) {
        return new SecretRotationProps(secret, rotator, schedule, false, null);
    }

    public SecretRotationProps withRotateImmediatelyOnUpdate(boolean value) {
        return new SecretRotationProps(secret, rotator, schedule, value, autoRollback);
    }

    /**
     * Rolls back when {@code authFailures} reaches {@code threshold} per minute in 2 of 3 minutes within
     * 2 hours of a rotation, at most once per rotation; pages {@code alarmTopic} on every rollback and refusal.
     */
    public SecretRotationProps withAutoRollback(IMetric authFailures, double threshold, ITopic alarmTopic) {
        return withAutoRollback(AutoRollbackProps.of(authFailures, threshold, alarmTopic));
    }

    public SecretRotationProps withAutoRollback(AutoRollbackProps value) {
        return new SecretRotationProps(secret, rotator, schedule, rotateImmediatelyOnUpdate, value);
    }
}
