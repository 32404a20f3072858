package dev.secretrotator.cdk.internal;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The IAM statements of the rotation function's role, one method per need. Not API.
 *
 * <p>Every statement names its resources; the only {@code "*"} is {@code GetRandomPassword}, which
 * has no resource type in IAM. Statement ids (Sid) are stable: operators grep for them.
 */
public final class RotatorPolicies {

    /** The four rotation steps, and RotateSecret for emergency rotation. */
    public static final List<String> ROTATION_ACTIONS = List.of(
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
            "secretsmanager:RotateSecret");

    /** What the aws-iam provider does to a user's access keys. */
    public static final List<String> IAM_KEY_ACTIONS = List.of(
            "iam:CreateAccessKey",
            "iam:DeleteAccessKey",
            "iam:UpdateAccessKey",
            "iam:ListAccessKeys",
            "iam:GetAccessKeyLastUsed",
            "iam:GetUser");

    private RotatorPolicies() {
    }

    /** Rotation actions on listed secrets; resources are added as secrets are registered. */
    public static PolicyStatement rotateListedSecrets() {
        return statement("RotateListedSecrets", ROTATION_ACTIONS, List.of());
    }

    /** Rotation actions on any secret of this account and region that carries the tag. */
    public static PolicyStatement rotateTaggedSecrets(Stack stack, String tagKey, String tagValue) {
        String anySecret = "arn:" + stack.getPartition() + ":secretsmanager:" + stack.getRegion() + ":"
                + stack.getAccount() + ":secret:*";
        PolicyStatement s = statement("RotateTaggedSecrets", ROTATION_ACTIONS, List.of(anySecret));
        s.addCondition("StringEquals", Map.of("aws:ResourceTag/" + tagKey, tagValue));
        return s;
    }

    /** The weaviate and http-api-key providers read their admin credentials. */
    public static PolicyStatement readAdminSecrets(List<String> adminSecretArns) {
        return statement("ReadAdminSecrets", List.of("secretsmanager:GetSecretValue"), adminSecretArns);
    }

    /** GetRandomPassword has no resource type, so IAM only accepts "*" here. */
    public static PolicyStatement generatePasswords() {
        return statement("GeneratePasswords", List.of("secretsmanager:GetRandomPassword"), List.of("*"));
    }

    /** Access keys of users under one IAM path, for example {@code /rotated/}. */
    public static PolicyStatement rotateIamUserKeys(Stack stack, String userPath) {
        String users = "arn:" + stack.getPartition() + ":iam::" + stack.getAccount() + ":user" + userPath + "*";
        return statement("RotateIamUserKeys", IAM_KEY_ACTIONS, List.of(users));
    }

    public static PolicyStatement assumeRoles(List<String> roleArns) {
        return statement("AssumeRotationRoles", List.of("sts:AssumeRole"), roleArns);
    }

    public static PolicyStatement putEvents(String eventBusArn) {
        return statement("PutRotationEvents", List.of("events:PutEvents"), List.of(eventBusArn));
    }

    /** Only through Secrets Manager: the key cannot be used directly with these grants. */
    public static PolicyStatement useSecretsKeys(Stack stack) {
        PolicyStatement s = statement("UseSecretsKeys", List.of("kms:Decrypt", "kms:GenerateDataKey"), List.of());
        s.addCondition("StringEquals",
                Map.of("kms:ViaService", "secretsmanager." + stack.getRegion() + "." + stack.getUrlSuffix()));
        return s;
    }

    public static PolicyStatement writeLogs(String logGroupArn) {
        return statement("WriteLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logGroupArn));
    }

    /**
     * Hyperplane ENIs for a function in a VPC. Lambda checks these at deploy time; the Describe
     * calls have no resource type, the others are limited to this account's network interfaces,
     * subnets and security groups.
     */
    public static List<PolicyStatement> vpcNetworkInterfaces(Stack stack) {
        String ec2 = "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":" + stack.getAccount() + ":";
        return List.of(
                statement("ManageVpcNetworkInterfaces",
                        List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"),
                        List.of(ec2 + "network-interface/*", ec2 + "subnet/*", ec2 + "security-group/*")),
                statement("DescribeVpcNetworkInterfaces",
                        List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"), List.of("*")));
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
