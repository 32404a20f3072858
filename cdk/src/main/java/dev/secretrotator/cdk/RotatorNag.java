package dev.secretrotator.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;

/**
 * The cdk-nag AwsSolutions findings on the rotator that are justified, each suppressed only for the
 * exact finding ({@code appliesTo}) with its reason. docs/deployment.md lists the same reasons.
 */
final class RotatorNag {

    static final String L1_REASON = "The default runtime is java25, the newest Java runtime the suite was run "
            + "on; java21 stays selectable (the runtime prop) because the jar targets Java 17 bytecode and the whole "
            + "test suite passes on JDK 17 and 25. A newer Java runtime becomes the default once the suite passes on "
            + "it, a measured change, not an automatic one.";
    static final String STAR_REASON = "secretsmanager:GetRandomPassword has no resource type in IAM, so it "
            + "only accepts Resource \"*\"; the same holds for secretsmanager:ListSecrets, granted in tag and "
            + "prefix mode only, where the retirement sweep must find the selected secrets (with listed secrets the "
            + "sweep is given the list instead), and in a VPC for ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets. "
            + "Otherwise \"*\" appears only in explicit Denies: of tagging with the binding tags of admin secrets "
            + "(secret-rotator:serves, secret-rotator:endpoints), with a production secret's staging gate "
            + "(secret-rotator:staging-twin) and with the deployment's selector tag.";
    static final String IAM_USERS_REASON = "Access keys are rotated for the users under the configured IAM "
            + "path only (user<path>*); the path is validated and may not be '/'.";
    static final String TAGGED_SECRETS_REASON = "Tag mode: the rotation and tagging actions apply to secrets "
            + "of this account and region only when they carry the deployment's tag (aws:ResourceTag condition). "
            + "The role may only add or remove tag keys under secret-rotator: (aws:TagKeys condition) and is "
            + "explicitly denied the selector tag's key, so it cannot tag a secret into its own reach.";
    static final String FUNCTION_VERSIONS_REASON = "With SnapStart, Secrets Manager invokes a published version "
            + "through the live alias; emergency rotation's RotateSecret needs lambda:InvokeFunction on it, and "
            + "<function arn>:* names this function's own versions and aliases only.";
    static final String PREFIXED_SECRETS_REASON = "Prefix mode: the rotation and tagging actions apply to the "
            + "secrets of this account and region whose names start with the deployment's secretNamePrefixes (for "
            + "example team-a/*), the same patterns the function's allow-list checks; the role may only add or "
            + "remove tag keys under secret-rotator: (aws:TagKeys condition).";
    static final String ENI_REASON = "Lambda creates its Hyperplane network interfaces in this account's "
            + "subnets and security groups; network interface ids are not known before they exist.";

    static final String TWIN_TAGGER_REASON = "The staging-twin tagger is aws-cdk's AwsCustomResource singleton: "
            + "its role carries AWSLambdaBasicExecutionRole for its own logs only; what it may do to secrets is "
            + "TagResource and UntagResource on the one production secret it tags.";

    private RotatorNag() {
    }

    /** The AwsCustomResource singleton that sets an imported secret's staging-twin tag ({@link StagingTwinTag}). */
    static void suppressStagingTwinTagger(software.amazon.awscdk.Stack stack) {
        software.constructs.IConstruct singleton = stack.getNode().tryFindChild(
                "AWS" + software.amazon.awscdk.customresources.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
        if (singleton != null) {
            NagSuppressions.addResourceSuppressions(singleton, List.of(suppression("AwsSolutions-IAM4", TWIN_TAGGER_REASON,
                    List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))), true);
        }
    }

    static void suppress(SecretRotatorFunction rotator) {
        NagSuppressions.addResourceSuppressions(rotator.getFunction(), List.of(suppression("AwsSolutions-L1",
                L1_REASON, List.of())), true);
        List<NagPackSuppression> role = new ArrayList<>();
        role.add(suppression("AwsSolutions-IAM5", STAR_REASON, List.of("Resource::*")));
        role.add(suppression("AwsSolutions-IAM5", IAM_USERS_REASON,
                List.of(regex("^Resource::arn:<AWS::Partition>:iam::.*:user/.*\\*$"))));
        role.add(suppression("AwsSolutions-IAM5", TAGGED_SECRETS_REASON,
                List.of(regex("^Resource::arn:<AWS::Partition>:secretsmanager:.*:secret:\\*$"))));
        role.add(suppression("AwsSolutions-IAM5", PREFIXED_SECRETS_REASON,
                List.of(regex("^Resource::arn:<AWS::Partition>:secretsmanager:.*:secret:[^*]+\\*$"))));
        role.add(suppression("AwsSolutions-IAM5", ENI_REASON,
                List.of(regex("^Resource::arn:<AWS::Partition>:ec2:.*:(network-interface|subnet|security-group)/\\*$"))));
        NagSuppressions.addResourceSuppressions(rotator.getRole(), role, true);
        NagSuppressions.addResourceSuppressions(rotator.getInvokeSelfPolicy(), List.of(suppression("AwsSolutions-IAM5",
                FUNCTION_VERSIONS_REASON, List.of(regex("^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$")))), true);
    }

    private static RegexAppliesTo regex(String pattern) {
        return RegexAppliesTo.builder().regex("/" + pattern + "/").build();
    }

    private static NagPackSuppression suppression(String id, String reason, List<Object> appliesTo) {
        NagPackSuppression.Builder b = NagPackSuppression.builder().id(id).reason(reason);
        if (!appliesTo.isEmpty()) {
            b.appliesTo(appliesTo);
        }
        return b.build();
    }
}
