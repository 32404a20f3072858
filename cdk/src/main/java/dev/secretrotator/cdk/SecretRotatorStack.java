package dev.secretrotator.cdk;

import dev.secretrotator.cdk.config.RotationConfig;
import dev.secretrotator.cdk.config.SecretEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.NestedStack;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The deployable stack: one rotation function, a rotation schedule per configured secret (in this
 * stack, or in the nested stack the secret's {@code "stack"} names), the retirement sweep, alarms and
 * (optionally) a route for "secret rotated" events. Everything comes
 * from a {@link RotationConfig}; the ids of the constructs below are stable.
 */
public class SecretRotatorStack extends Stack {

    private final SecretRotatorFunction rotator;
    private final RetirementSweep sweep;
    private final RotationAlarms alarms;
    private final List<SecretRotation> rotations = new ArrayList<>();

    public SecretRotatorStack(Construct scope, String id, StackProps stackProps, RotationConfig config, Code code) {
        super(scope, id, stackProps);
        List<IKey> keys = new ArrayList<>();
        for (int i = 0; i < config.kmsKeyArns().size(); i++) {
            keys.add(Key.fromKeyArn(this, "SecretsKey" + i, config.kmsKeyArns().get(i)));
        }
        SecretRotatorFunctionProps.Builder props = SecretRotatorFunctionProps.builder()
                .code(code)
                .memorySize(config.memorySize())
                .timeout(Duration.seconds(config.timeoutSeconds()))
                .snapStart(config.snapStart())
                .runtime(config.runtime())
                .iamUserPath(config.iamUserPath())
                .assumeRoleArns(config.assumeRoleArns())
                .adminSecretArns(config.adminSecretArns())
                .allowedEndpointHosts(config.allowedEndpointHosts())
                .secretNamePrefixes(config.secretNamePrefixes())
                .secretsKeys(keys);
        if (config.secretTag() != null) {
            String[] tag = config.secretTagParts();
            props.secretTag(new SecretTag(tag[0], tag[1]));
        }
        if (config.eventBusName() != null) {
            props.eventBus(EventBus.fromEventBusName(this, "RotatorBus", config.eventBusName()));
        }
        this.rotator = new SecretRotatorFunction(this, "Rotator", props.build());

        Construct schedules = new Construct(this, "Rotations");
        Map<String, Construct> nested = new HashMap<>();
        for (SecretEntry entry : config.secrets()) {
            // a secret with a "stack" goes into that nested stack: ids stay stable as secrets are added
            Construct where = entry.stack() == null ? schedules
                    : nested.computeIfAbsent(entry.stack(), g -> new NestedStack(this, "Rotations-" + g));
            ISecret secret = Secret.fromSecretCompleteArn(where, entry.name() + "Secret", entry.secretArn());
            RotationCalendar schedule = RotationCalendar.forTier(entry.tier(), entry.environment(), config.rotationWindow());
            SecretRotationProps.Builder rotation = SecretRotationProps.builder().secret(secret).rotator(rotator)
                    .schedule(schedule).rotateImmediatelyOnUpdate(entry.rotateImmediatelyOnUpdate());
            if (entry.stagingTwinArn() != null) {
                rotation.stagingTwin(Secret.fromSecretCompleteArn(where, entry.name() + "StagingTwin", entry.stagingTwinArn()));
            }
            rotations.add(new SecretRotation(where, entry.name(), rotation.build()));
        }

        this.sweep = new RetirementSweep(this, "Sweep", rotator, config.sweepSchedule());
        this.alarms = new RotationAlarms(this, "Monitoring", RotationAlarmsProps.of(rotator)
                .withSweep(sweep)
                .withAlarmEmail(config.alarmEmail()));
        if (config.rotatedEventsQueueArn() != null) {
            new RotatedEventRoute(this, "RotatedEvents", rotator,
                    new SqsQueue(Queue.fromQueueArn(this, "RotatedEventsQueue", config.rotatedEventsQueueArn())));
        }

        CfnOutput.Builder.create(this, "RotationFunctionArn").value(rotator.getRotationLambdaArn())
                .description("RotationLambdaARN for AWS::SecretsManager::RotationSchedule").build();
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(alarms.getTopic().getTopicArn())
                .description("Subscribe on-call here").build();
    }

    public SecretRotatorFunction getRotator() {
        return rotator;
    }

    public RetirementSweep getSweep() {
        return sweep;
    }

    public RotationAlarms getAlarms() {
        return alarms;
    }

    public List<SecretRotation> getRotations() {
        return List.copyOf(rotations);
    }
}
