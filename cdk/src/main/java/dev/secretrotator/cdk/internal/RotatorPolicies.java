package dev.secretrotator.cdk.internal;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The IAM statements of the rotation function's role, one method per need: exactly the calls the
 * function makes (held against its recorded calls by {@code PermissionContractTest}; the table in
 * docs/deployment.md says which step needs which). Not API.
 *
 * <p>Every statement names its resources; {@code "*"} only where IAM has no resource type
 * ({@code GetRandomPassword}, and {@code ListSecrets} in tag and prefix mode). Statement ids (Sid) are
 * stable: operators grep for them.
 */
public final class RotatorPolicies {

    /**
     * The four rotation steps, RotateSecret for emergency rotation, ListSecretVersionIds for the
     * createSecret claim and the version history.
     */
    public static final List<String> ROTATION_ACTIONS = List.of(
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
            "secretsmanager:RotateSecret",
            "secretsmanager:ListSecretVersionIds");

    /** The cutover tag and the retirement ledger live in the secret's tags. */
    public static final List<String> TAG_ACTIONS = List.of(
            "secretsmanager:TagResource",
            "secretsmanager:UntagResource");

    /** The only tag keys the function may add or remove. */
    public static final String OWN_TAG_KEYS = "secret-rotator:*";

    /**
     * What the aws-iam provider does to a user's access keys, and ListUserTags for the user's
     * {@code secret-rotator:secret} binding.
     */
    public static final List<String> IAM_KEY_ACTIONS = List.of(
            "iam:CreateAccessKey",
            "iam:DeleteAccessKey",
            "iam:UpdateAccessKey",
            "iam:ListAccessKeys",
            "iam:GetAccessKeyLastUsed",
            "iam:ListUserTags");

    private RotatorPolicies() {
    }

    /** Rotation actions on listed secrets; resources are added as secrets are registered. */
    public static PolicyStatement rotateListedSecrets() {
        return statement("RotateListedSecrets", ROTATION_ACTIONS, List.of());
    }

    /**
     * Rotation actions on the secrets of this account and region that carry the tag, among
     * {@code secrets} ({@link #secretsNamed}).
     */
    public static PolicyStatement rotateTaggedSecrets(List<String> secrets, String tagKey, String tagValue) {
        PolicyStatement s = statement("RotateTaggedSecrets", ROTATION_ACTIONS, secrets);
        s.addCondition("StringEquals", Map.of("aws:ResourceTag/" + tagKey, tagValue));
        return s;
    }

    /** Rotation actions on the secrets whose names start with a deployment's prefix ({@link #secretsNamed}). */
    public static PolicyStatement rotatePrefixedSecrets(List<String> secrets) {
        return statement("RotatePrefixedSecrets", ROTATION_ACTIONS, secrets);
    }

    /** The project's own tags on the secrets whose names start with a deployment's prefix. */
    public static PolicyStatement tagPrefixedSecrets(List<String> secrets) {
        return ownTagsOnly(statement("TagPrefixedSecrets", TAG_ACTIONS, secrets));
    }

    /**
     * ARN patterns of this account's and region's secrets whose names start with one of
     * {@code prefixes} ({@code team-a/} gives {@code arn:...:secret:team-a/*}); every secret when
     * there is none. The function's allow-list takes the same patterns.
     */
    public static List<String> secretsNamed(Stack stack, List<String> prefixes) {
        return prefixes.isEmpty() ? List.of(anySecret(stack))
                : prefixes.stream().map(p -> secretArnPrefix(stack) + p + "*").toList();
    }

    /** The project's own tags ({@link #OWN_TAG_KEYS}) on listed secrets; resources are added with the secrets. */
    public static PolicyStatement tagListedSecrets() {
        return ownTagsOnly(statement("TagListedSecrets", TAG_ACTIONS, List.of()));
    }

    /** The project's own tags on the secrets that carry the deployment's tag, among {@code secrets}. */
    public static PolicyStatement tagTaggedSecrets(List<String> secrets, String tagKey, String tagValue) {
        PolicyStatement s = ownTagsOnly(statement("TagTaggedSecrets", TAG_ACTIONS, secrets));
        s.addCondition("StringEquals", Map.of("aws:ResourceTag/" + tagKey, tagValue));
        return s;
    }

    /**
     * The role must never add, change or remove the tag that selects the secrets it may rotate:
     * an explicit Deny, in case another policy on the role allows more tagging.
     */
    public static PolicyStatement denySelectorTag(String tagKey) {
        return denyTagging("NeverTouchSelectorTag", List.of(tagKey));
    }

    /**
     * The tags that bind an admin secret to the secrets and hosts it serves
     * ({@code secret-rotator:serves}, {@code secret-rotator:endpoints}) are the owners' word, not
     * the function's: an explicit Deny, although they match {@link #OWN_TAG_KEYS}, so the role can
     * never widen a binding even on an admin secret that is itself rotated. The same holds for a
     * production secret's {@code secret-rotator:staging-twin} (the staging gate): the role cannot
     * remove or redirect the gate.
     */
    public static final List<String> BINDING_TAG_KEYS = List.of("secret-rotator:serves", "secret-rotator:endpoints",
            "secret-rotator:staging-twin");

    /** The Deny of {@link #BINDING_TAG_KEYS}. */
    public static PolicyStatement denyBindingTags() {
        return denyTagging("NeverTouchBindingTags", BINDING_TAG_KEYS);
    }

    /** Tagging or untagging with any of {@code tagKeys}, on any resource, explicitly denied. */
    private static PolicyStatement denyTagging(String sid, List<String> tagKeys) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.DENY)
                .actions(TAG_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("ForAnyValue:StringEquals", Map.of("aws:TagKeys", tagKeys.size() == 1 ? tagKeys.get(0) : tagKeys)))
                .build();
    }

    /**
     * The staging gate reads a production secret's staging twin: its rotation state, nothing else.
     * Redundant when the twin is itself rotated by this deployment; needed when it is not.
     */
    public static PolicyStatement describeStagingTwin(String twinArn) {
        return statement("DescribeStagingTwin", List.of("secretsmanager:DescribeSecret"), List.of(twinArn));
    }

    /**
     * The sweep without a list finds its secrets with ListSecrets (filtered by tag or name prefix),
     * which has no resource type and no condition key that narrows it: granted in tag and prefix
     * mode only. With listed secrets the deployment passes the list instead.
     */
    public static PolicyStatement listSecrets() {
        return statement("ListSecretsForSweep", List.of("secretsmanager:ListSecrets"), List.of("*"));
    }

    /**
     * The weaviate and http-api-key providers read their admin credentials, and DescribeSecret
     * reads the admin secret's binding tags ({@code secret-rotator:serves}, {@code secret-rotator:endpoints}).
     */
    public static PolicyStatement readAdminSecrets(List<String> adminSecretArns) {
        return statement("ReadAdminSecrets", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                adminSecretArns);
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

    /**
     * Emergency rotation starts the secret's rotation with {@code RotateSecret}, for which Secrets
     * Manager requires the caller to hold {@code lambda:InvokeFunction} on the rotation function:
     * this function itself, and with SnapStart its versions and {@code live} alias
     * ({@code <function arn>:*}). Attach it through a policy of its own: in the role's default
     * policy the function's ARN would make a dependency cycle (the function depends on that policy).
     */
    public static PolicyStatement invokeRotationFunction(List<String> functionArns) {
        return statement("InvokeRotationFunction", List.of("lambda:InvokeFunction"), functionArns);
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

    private static String anySecret(Stack stack) {
        return secretArnPrefix(stack) + "*";
    }

    private static String secretArnPrefix(Stack stack) {
        return "arn:" + stack.getPartition() + ":secretsmanager:" + stack.getRegion() + ":" + stack.getAccount() + ":secret:";
    }

    // ForAllValues passes a request without tag keys, so Null requires them
    private static PolicyStatement ownTagsOnly(PolicyStatement s) {
        s.addCondition("ForAllValues:StringLike", Map.of("aws:TagKeys", OWN_TAG_KEYS));
        s.addCondition("Null", Map.of("aws:TagKeys", "false"));
        return s;
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
