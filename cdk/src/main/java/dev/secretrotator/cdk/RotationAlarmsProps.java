package dev.secretrotator.cdk;

/**
 * Properties of {@link RotationAlarms}.
 *
 * @param rotator                  the function to watch
 * @param sweep                    the retirement sweep whose failed invocations raise an alarm; null for none
 * @param alarmEmail               address subscribed to the alarm topic; null for none (subscribe later)
 * @param durationThresholdPercent the duration alarm fires at this share of the timeout. Default 80
 */
public record RotationAlarmsProps(SecretRotatorFunction rotator, RetirementSweep sweep, String alarmEmail,
                                  int durationThresholdPercent) {

    public static final int DEFAULT_DURATION_THRESHOLD_PERCENT = 80;

    /** Alarms for a rotator, no sweep, no e-mail, duration threshold 80 %. */
    public static RotationAlarmsProps of(SecretRotatorFunction rotator) {
        return new RotationAlarmsProps(rotator, null, null, DEFAULT_DURATION_THRESHOLD_PERCENT);
    }

    public RotationAlarmsProps withSweep(RetirementSweep value) {
        return new RotationAlarmsProps(rotator, value, alarmEmail, durationThresholdPercent);
    }

    public RotationAlarmsProps withAlarmEmail(String value) {
        return new RotationAlarmsProps(rotator, sweep, value, durationThresholdPercent);
    }

    public RotationAlarmsProps withDurationThresholdPercent(int value) {
        return new RotationAlarmsProps(rotator, sweep, alarmEmail, value);
    }
}
