package dev.secretrotator.cdk;

import dev.secretrotator.cdk.internal.RotatorPolicies;
import dev.secretrotator.cdk.internal.SecretArns;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Declares a production secret's staging twin: the tag {@value #KEY} = the twin's ARN on the
 * production secret, which the function's staging gate reads, and {@code DescribeSecret} on the
 * twin for the function. A secret of this stack gets the tag as a CloudFormation tag; an imported
 * secret through a custom resource ({@code TagResource} on creation and update,
 * {@code UntagResource} on deletion, on that secret only).
 */
final class StagingTwinTag {
    static final String KEY = "secret-rotator:staging-twin";

    private StagingTwinTag() {
    }

    static void declare(Construct scope, ISecret production, ISecret twin, SecretRotatorFunction rotator) {
        String value = twin.getSecretArn();
        // a twin imported by name or partial ARN is granted as <arn>-??????, like every secret (issue 17 item 3)
        rotator.getRole().addToPrincipalPolicy(RotatorPolicies.describeStagingTwin(SecretArns.forPolicies(twin)));
        if (production.getNode().getDefaultChild() instanceof CfnSecret) {
            Tags.of(production).add(KEY, value);
            return;
        }
        String arn = production.getSecretArn();
        AwsCustomResource.Builder.create(scope, "StagingTwinTag")
                .onUpdate(AwsSdkCall.builder().service("SecretsManager").action("TagResource")
                        .parameters(Map.of("SecretId", arn, "Tags", List.of(Map.of("Key", KEY, "Value", value))))
                        .physicalResourceId(PhysicalResourceId.of(KEY)).build())
                .onDelete(AwsSdkCall.builder().service("SecretsManager").action("UntagResource")
                        .parameters(Map.of("SecretId", arn, "TagKeys", List.of(KEY))).build())
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("secretsmanager:TagResource", "secretsmanager:UntagResource"))
                        .resources(List.of(arn)).build())))
                .installLatestAwsSdk(false)
                .build();
        RotatorNag.suppressStagingTwinTagger(Stack.of(scope));
    }
}
