package dev.secretrotator.cdk;

import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Properties of {@link SecretRotation}.
 *
 * @param secret                    the secret to rotate; in the rotator's stack or imported by complete ARN
 * @param rotator                   the function that rotates it
 * @param schedule                  when: {@link RotationSchedule#forTier} or {@link RotationSchedule#cron}
 * @param rotateImmediatelyOnUpdate rotate as soon as the schedule is created or changed. Default (see
 *                                  {@link #of}) false: a deployment must not rotate production credentials
 *                                  outside the window and before staging has rotated; set true for a new
 *                                  secret that still holds a placeholder value
 */
public record SecretRotationProps(ISecret secret, SecretRotatorFunction rotator, RotationSchedule schedule,
                                  boolean rotateImmediatelyOnUpdate) {

    /** Props with {@code rotateImmediatelyOnUpdate = false}. */
    public static SecretRotationProps of(ISecret secret, SecretRotatorFunction rotator, RotationSchedule schedule) {
        return new SecretRotationProps(secret, rotator, schedule, false);
    }

    public SecretRotationProps withRotateImmediatelyOnUpdate(boolean value) {
        return new SecretRotationProps(secret, rotator, schedule, value);
    }
}
