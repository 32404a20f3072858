package dev.secretrotator.cdk;

import software.amazon.awscdk.services.secretsmanager.CfnRotationSchedule;
import software.constructs.Construct;

/**
 * Turns on rotation of one secret in one call: a {@code AWS::SecretsManager::RotationSchedule} with a
 * {@code cron()} schedule and a rotation window, and the grants the rotator needs for that secret.
 *
 * <pre>{@code
 * new SecretRotation(this, "CiDeployerKeys", SecretRotationProps.of(
 *         secret, rotator, RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)));
 * }</pre>
 *
 * <p>Unlike {@code Secret.addRotationSchedule}, this supports cron schedules and windows, and the
 * schedule waits for the invoke permission (Secrets Manager calls the function while the schedule is
 * being created when {@code rotateImmediatelyOnUpdate} is true). With a {@code stagingTwin}, the
 * secret rotates only while the twin's last rotation succeeded ({@link StagingTwinTag}).
 */
public class SecretRotation extends Construct {

    private final CfnRotationSchedule schedule;

    public SecretRotation(Construct scope, String id, SecretRotationProps props) {
        super(scope, id);
        validate(props);
        props.rotator().addRotatedSecret(props.secret());
        this.schedule = CfnRotationSchedule.Builder.create(this, "Schedule")
                .secretId(props.secret().getSecretArn())
                .rotationLambdaArn(props.rotator().getRotationLambdaArn())
                .rotationRules(CfnRotationSchedule.RotationRulesProperty.builder()
                        .scheduleExpression(props.schedule().expression())
                        .duration(props.schedule().duration())
                        .build())
                .rotateImmediatelyOnUpdate(props.rotateImmediatelyOnUpdate())
                .build();
        schedule.getNode().addDependency(props.rotator().getInvokePermission());
        // the cron is fixed in UTC: the synth says which local hours that is, in winter and in summer
        schedule.addMetadata("secret-rotator:window", props.schedule().describeWindow());
        if (props.stagingTwin() != null) {
            StagingTwinTag.declare(this, props.secret(), props.stagingTwin(), props.rotator());
        }
        if (props.autoRollback() != null) {
            new AutoRollback(this, "AutoRollback", props.secret(), props.rotator(), props.autoRollback());
        }
    }

    private static void validate(SecretRotationProps props) {
        if (props == null) {
            throw new IllegalArgumentException("props must be set, got null; use SecretRotationProps.builder()");
        }
        if (props.secret() == null) {
            throw new IllegalArgumentException("secret must be set, got null; import an existing one with "
                    + "Secret.fromSecretCompleteArn(...)");
        }
        if (props.rotator() == null) {
            throw new IllegalArgumentException("rotator must be set, got null; create a SecretRotatorFunction first");
        }
        if (props.schedule() == null) {
            throw new IllegalArgumentException("schedule must be set, got null; use "
                    + "RotationCalendar.forTier(tier, stage) or RotationCalendar.cron(expression, windowHours)");
        }
    }

    public CfnRotationSchedule getSchedule() {
        return schedule;
    }
}
