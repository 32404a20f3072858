package dev.secretrotator.cdk;

import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * Properties of {@link SecretRotation}. Immutable; build with {@link #builder()} (or the
 * {@link #of} factory and its {@code with...} copies).
 *
 * @param secret                    the secret to rotate; in the rotator's stack or imported by complete ARN
 * @param rotator                   the function that rotates it
 * @param schedule                  when: {@link RotationCalendar#forTier}, {@link RotationCalendar#cron} or
 *                                  {@link RotationCalendar#rate}
 * @param rotateImmediatelyOnUpdate rotate as soon as the schedule is created or changed. Default false,
 *                                  unlike aws-cdk's true: a deployment must not rotate production credentials
 *                                  outside the window and before staging has rotated (docs/deployment.md §5);
 *                                  with false, Secrets Manager runs its configuration test (testSecret only),
 *                                  which the function passes without writing. Set true for a new secret that
 *                                  still holds a placeholder value
 * @param autoRollback              roll back automatically when consumers fail to authenticate soon after a
 *                                  rotation; default (null) off. See {@link AutoRollback}
 * @param stagingTwin               the staging secret whose rotation gates this one's; default (null) none.
 *                                  Sets the secret's tag {@code secret-rotator:staging-twin} to the twin's ARN
 *                                  and lets the function describe the twin (docs/deployment.md, staging gate)
 */
public record SecretRotationProps(ISecret secret, SecretRotatorFunction rotator, RotationCalendar schedule,
                                  boolean rotateImmediatelyOnUpdate, AutoRollbackProps autoRollback,
                                  ISecret stagingTwin) {

    /** The earlier five-argument form, without a staging twin. */
    public SecretRotationProps(ISecret secret, SecretRotatorFunction rotator, RotationCalendar schedule,
                               boolean rotateImmediatelyOnUpdate, AutoRollbackProps autoRollback) {
        this(secret, rotator, schedule, rotateImmediatelyOnUpdate, autoRollback, null);
    }

    /** Props with {@code rotateImmediatelyOnUpdate = false}, no automatic rollback and no staging twin. */
    public static SecretRotationProps of(ISecret secret, SecretRotatorFunction rotator, RotationCalendar schedule) {
        return builder().secret(secret).rotator(rotator).schedule(schedule).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SecretRotationProps withRotateImmediatelyOnUpdate(boolean value) {
        return new SecretRotationProps(secret, rotator, schedule, value, autoRollback, stagingTwin);
    }

    /**
     * Rolls back when {@code authFailures} reaches {@code threshold} per minute in 2 of 3 minutes within
     * 2 hours of a rotation, at most once per rotation; pages {@code alarmTopic} on every rollback and refusal.
     */
    public SecretRotationProps withAutoRollback(IMetric authFailures, double threshold, ITopic alarmTopic) {
        return withAutoRollback(AutoRollbackProps.of(authFailures, threshold, alarmTopic));
    }

    public SecretRotationProps withAutoRollback(AutoRollbackProps value) {
        return new SecretRotationProps(secret, rotator, schedule, rotateImmediatelyOnUpdate, value, stagingTwin);
    }

    public SecretRotationProps withStagingTwin(ISecret twin) {
        return new SecretRotationProps(secret, rotator, schedule, rotateImmediatelyOnUpdate, autoRollback, twin);
    }

    /** Builder; every setter returns {@code this}. Required: secret, rotator, schedule. */
    public static final class Builder {
        private ISecret secret;
        private SecretRotatorFunction rotator;
        private RotationCalendar schedule;
        private boolean rotateImmediatelyOnUpdate;
        private AutoRollbackProps autoRollback;
        private ISecret stagingTwin;

        /** The secret to rotate. Required. */
        public Builder secret(ISecret v) { secret = v; return this; }
        /** The function that rotates it. Required. */
        public Builder rotator(SecretRotatorFunction v) { rotator = v; return this; }
        /** When it rotates. Required. */
        public Builder schedule(RotationCalendar v) { schedule = v; return this; }
        /** Rotate when the schedule is created or changed. Default false (see the record's javadoc). */
        public Builder rotateImmediatelyOnUpdate(boolean v) { rotateImmediatelyOnUpdate = v; return this; }
        /** Automatic rollback. Default none. */
        public Builder autoRollback(AutoRollbackProps v) { autoRollback = v; return this; }
        /** The staging secret whose rotation gates this one's. Default none. */
        public Builder stagingTwin(ISecret v) { stagingTwin = v; return this; }

        public SecretRotationProps build() {
            return new SecretRotationProps(secret, rotator, schedule, rotateImmediatelyOnUpdate, autoRollback, stagingTwin);
        }
    }
}
