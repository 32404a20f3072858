package dev.secretrotator.cdk.internal;

import java.util.List;
import java.util.function.Supplier;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.services.lambda.CfnPermission;
import software.amazon.awscdk.services.secretsmanager.CfnRotationSchedule;
import software.constructs.IConstruct;

/**
 * Links every rotation schedule of the stack that invokes the rotator (also those made by
 * aws-cdk's {@code secret.addRotationSchedule}) to the rotator's account-scoped invoke
 * permission, so the schedule is created after it: Secrets Manager invokes the function while the
 * schedule is created. Warns when the schedule's secret was not registered with the rotator
 * (listed-secrets mode), because the function would then refuse it.
 */
public final class RotationScheduleLink implements IAspect {
    private final String rotationLambdaArn;
    private final CfnPermission permission;
    private final Supplier<List<String>> registered;

    /**
     * @param registered the secret ARNs the rotator rotates (listed mode), or null (tag or prefix mode) to skip the warning
     */
    public RotationScheduleLink(String rotationLambdaArn, CfnPermission permission, Supplier<List<String>> registered) {
        this.rotationLambdaArn = rotationLambdaArn;
        this.permission = permission;
        this.registered = registered;
    }

    @Override
    public void visit(IConstruct node) {
        if (!(node instanceof CfnRotationSchedule schedule) || !rotationLambdaArn.equals(schedule.getRotationLambdaArn())) {
            return;
        }
        schedule.getNode().addDependency(permission);
        List<String> secrets = registered.get();
        String secretId = schedule.getSecretId();
        // a secret imported by name or partial ARN is registered as <arn>-?????? (SecretArns.forPolicies)
        if (secrets != null && !secrets.contains(secretId) && !secrets.contains(secretId + "-??????")) {
            Annotations.of(schedule).addWarningV2("secret-rotator:unregistered-secret", "this rotation schedule invokes the "
                    + "secret rotator, but its secret was not registered with it: call rotator.addRotatedSecret(secret)"
                    + " (or select secrets with the rotator's secretTag or secretNamePrefixes), else the function refuses the secret and lacks its grants");
        }
    }
}
