package dev.secretrotator.cdk;

import dev.secretrotator.cdk.config.RotationConfig;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sqs.Queue;

/** Whole stacks for the checks that look at everything (cdk-nag, cfn-lint, handler). */
final class TestStacks {

    private TestStacks() {
    }

    /** The app's stack from the sample configuration, environment-agnostic as `cdk synth` makes it. */
    static SecretRotatorStack sample(App app) {
        return new SecretRotatorStack(app, "SecretRotator", StackProps.builder().build(),
                RotationConfig.load(TestSupport.moduleDir().resolve("rotation-config.json")), TestSupport.code());
    }

    /** Every optional feature switched on: SnapStart, java21, VPC, tag mode, KMS, a route, a custom sweep. */
    static Stack everyOption(App app) {
        Stack stack = new Stack(app, "EveryOption", StackProps.builder()
                .env(Environment.builder().account(TestSupport.ACCOUNT).region(TestSupport.REGION).build())
                .build());
        IVpc vpc = Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0")
                .availabilityZones(List.of("eu-west-1a", "eu-west-1b"))
                .privateSubnetIds(List.of("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"))
                .build());
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props()
                .snapStart(true)
                .runtime(JavaRuntime.JAVA_21)
                .vpc(vpc)
                .secretTag(new SecretTag("rotation-deployment", "platform"))
                .iamUserPath("/rotated/")
                .assumeRoleArns(List.of("arn:aws:iam::210987654321:role/secret-rotator-target"))
                .secretsKeys(List.of(Key.fromKeyArn(stack, "SecretsKey",
                        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")))
                .build());
        var appSecret = TestSupport.importedSecret(stack, "AppSecret", TestSupport.SECRET_ARN);
        new SecretRotation(stack, "AppRotation", SecretRotationProps.of(appSecret, rotator,
                RotationCalendar.forTier(RiskTier.MEDIUM, Stage.PRODUCTION, RotationWindow.local("America/New_York", 9, 4))));
        RetirementSweep sweep = new RetirementSweep(stack, "Sweep", rotator, "cron(15 * * * ? *)");
        RotationAlarms alarms = new RotationAlarms(stack, "Monitoring", RotationAlarmsProps.of(rotator).withSweep(sweep));
        new AutoRollback(stack, "AppAutoRollback", appSecret, rotator, AutoRollbackProps.of(
                software.amazon.awscdk.services.cloudwatch.Metric.Builder.create().namespace("App").metricName("Http401").build(),
                10, alarms.getTopic()));
        Queue dlq = Queue.Builder.create(stack, "ConsumersDlq").enforceSsl(true).build();
        Queue queue = Queue.Builder.create(stack, "Consumers").enforceSsl(true)
                .deadLetterQueue(software.amazon.awscdk.services.sqs.DeadLetterQueue.builder()
                        .queue(dlq).maxReceiveCount(3).build())
                .build();
        new RotatedEventRoute(stack, "RotatedEvents", rotator, new SqsQueue(queue));
        return stack;
    }
}
