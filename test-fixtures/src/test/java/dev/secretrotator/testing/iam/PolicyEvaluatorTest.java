package dev.secretrotator.testing.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.testing.iam.PolicyEvaluator.Effect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf";

    static Map<String, Object> allow(Object action, Object resource) {
        return Map.of("Effect", "Allow", "Action", action, "Resource", resource);
    }

    static Effect effect(List<Map<String, Object>> policy, Request request) {
        return PolicyEvaluator.evaluate(policy, request).effect();
    }

    @Test
    void evaluate_withoutAMatchingStatement_deniesByDefault() {
        assertThat(effect(List.of(allow("secretsmanager:GetSecretValue", SECRET)),
                Request.of("secretsmanager:PutSecretValue", SECRET))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(List.of(), Request.of("s3:GetObject", "*"))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void evaluate_explicitDeny_winsOverAnAllow() {
        List<Map<String, Object>> policy = List.of(allow("secretsmanager:*", "*"),
                Map.of("Sid", "NoPut", "Effect", "Deny", "Action", "secretsmanager:PutSecretValue", "Resource", "*"));

        PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(policy, Request.of("secretsmanager:PutSecretValue", SECRET));

        assertThat(decision).isEqualTo(new PolicyEvaluator.Decision(Effect.EXPLICIT_DENY, "NoPut"));
        assertThat(effect(policy, Request.of("secretsmanager:GetSecretValue", SECRET))).isEqualTo(Effect.ALLOW);
    }

    @Test
    void actions_matchCaseInsensitively_withWildcards() {
        List<Map<String, Object>> policy = List.of(allow(List.of("SecretsManager:get*", "iam:?etUser"), "*"));

        assertThat(effect(policy, Request.of("secretsmanager:GetSecretValue", SECRET))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, Request.of("iam:GetUser", "*"))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, Request.of("iam:ListUsers", "*"))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void resources_matchCaseSensitively_withWildcards() {
        List<Map<String, Object>> policy = List.of(allow("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/rotated/*"));

        assertThat(effect(policy, Request.of("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/rotated/ci")))
                .isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, Request.of("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/Rotated/ci")))
                .isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(policy, Request.of("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/admin")))
                .isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void notActionAndNotResource_matchEverythingElse() {
        List<Map<String, Object>> policy = List.of(
                Map.of("Effect", "Allow", "NotAction", "iam:*", "NotResource", "arn:aws:secretsmanager:*:*:secret:admin*"));

        assertThat(effect(policy, Request.of("secretsmanager:GetSecretValue", SECRET))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, Request.of("iam:GetUser", SECRET))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(policy, Request.of("secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-x"))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void forAllValuesStringLike_limitsTagKeys_andNullRequiresThem() {
        List<Map<String, Object>> policy = List.of(Map.of("Effect", "Allow", "Action", "secretsmanager:TagResource",
                "Resource", "*", "Condition", Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", "secret-rotator:*"),
                        "Null", Map.of("aws:TagKeys", "false"))));

        assertThat(effect(policy, tagging(List.of("secret-rotator:cutover", "secret-rotator:deactivated:k1"))))
                .isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, tagging(List.of("secret-rotator:cutover", "team")))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(policy, Request.of("secretsmanager:TagResource", SECRET))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void forAllValues_withoutTheKey_holds_asIamDocuments() {
        List<Map<String, Object>> policy = List.of(Map.of("Effect", "Allow", "Action", "*", "Resource", "*",
                "Condition", Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", "secret-rotator:*"))));

        assertThat(effect(policy, Request.of("secretsmanager:TagResource", SECRET))).isEqualTo(Effect.ALLOW);
    }

    @Test
    void forAnyValueStringEquals_deniesTheSelectorKey() {
        List<Map<String, Object>> policy = List.of(allow("*", "*"), Map.of("Effect", "Deny", "Action", "*", "Resource", "*",
                "Condition", Map.of("ForAnyValue:StringEquals", Map.of("aws:TagKeys", "rotation-deployment"))));

        assertThat(effect(policy, tagging(List.of("secret-rotator:cutover", "rotation-deployment"))))
                .isEqualTo(Effect.EXPLICIT_DENY);
        assertThat(effect(policy, tagging(List.of("secret-rotator:cutover")))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, Request.of("secretsmanager:GetSecretValue", SECRET))).isEqualTo(Effect.ALLOW);
    }

    @Test
    void stringEqualsAndStringLike_needTheKey_stringNotEquals_passesWithoutIt() {
        Map<String, List<String>> tagged = Map.of("aws:ResourceTag/team", List.of("platform"));
        List<Map<String, Object>> equals = List.of(conditional("StringEquals", "aws:ResourceTag/team", "platform"));
        List<Map<String, Object>> like = List.of(conditional("StringLike", "aws:ResourceTag/team", "plat*"));
        List<Map<String, Object>> notEquals = List.of(conditional("StringNotEquals", "aws:ResourceTag/team", "platform"));

        assertThat(effect(equals, new Request("a:B", "*", tagged))).isEqualTo(Effect.ALLOW);
        assertThat(effect(equals, Request.of("a:B", "*"))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(like, new Request("a:B", "*", tagged))).isEqualTo(Effect.ALLOW);
        assertThat(effect(like, Request.of("a:B", "*"))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(notEquals, new Request("a:B", "*", tagged))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(notEquals, Request.of("a:B", "*"))).isEqualTo(Effect.ALLOW);
    }

    @Test
    void arnLikeAndViaService_conditionsOnSourceAndKms() {
        List<Map<String, Object>> policy = List.of(conditional("ArnLike", "aws:SourceArn", "arn:aws:cloudwatch:*:123456789012:alarm:*"),
                conditional("StringEquals", "kms:ViaService", "secretsmanager.us-east-1.amazonaws.com"));

        assertThat(effect(policy, new Request("sns:Publish", "*",
                Map.of("aws:SourceArn", List.of("arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"))))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, new Request("sns:Publish", "*",
                Map.of("aws:SourceArn", List.of("arn:aws:cloudwatch:us-east-1:999999999999:alarm:x"))))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(policy, new Request("kms:Decrypt", "*",
                Map.of("kms:ViaService", List.of("secretsmanager.us-east-1.amazonaws.com"))))).isEqualTo(Effect.ALLOW);
        assertThat(effect(policy, new Request("kms:Decrypt", "*",
                Map.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com"))))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void arnLikeAndArnEquals_matchComponentByComponent_soAStarNeverCrossesAColon() {
        List<Map<String, Object>> like = List.of(conditional("ArnLike", "aws:SourceArn", "arn:aws:cloudwatch:us-east-1:*:alarm:*"));
        List<Map<String, Object>> equals = List.of(conditional("ArnEquals", "aws:SourceArn", "arn:aws:events:*:123456789012:rule/sweep"));

        // the account component is "*": it must not swallow the region-like text of a longer value
        assertThat(effect(like, source("arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"))).isEqualTo(Effect.ALLOW);
        assertThat(effect(like, source("arn:aws:cloudwatch:us-east-1:eu-west-1:123456789012:alarm:x")))
                .as("a * in the account component crossing into the next").isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(like, source("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a:b")))
                .as("the resource component may hold ':'").isEqualTo(Effect.ALLOW);
        assertThat(effect(equals, source("arn:aws:events:us-east-1:123456789012:rule/sweep"))).isEqualTo(Effect.ALLOW);
        assertThat(effect(equals, source("arn:aws:events:us-east-1:x:123456789012:rule/sweep"))).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(equals, source("not-an-arn"))).isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void conditionKeyNames_matchCaseInsensitively_valuesDoNot() {
        List<Map<String, Object>> policy = List.of(conditional("StringEquals", "AWS:SourceAccount", "123456789012"),
                conditional("StringEquals", "aws:resourcetag/Team", "blue"));

        assertThat(effect(policy.subList(0, 1), new Request("a:B", "*", Map.of("aws:SourceAccount", List.of("123456789012")))))
                .isEqualTo(Effect.ALLOW);
        assertThat(effect(policy.subList(1, 2), new Request("a:B", "*", Map.of("aws:ResourceTag/Team", List.of("blue")))))
                .isEqualTo(Effect.ALLOW);
        assertThat(effect(policy.subList(1, 2), new Request("a:B", "*", Map.of("aws:ResourceTag/Team", List.of("Blue")))))
                .isEqualTo(Effect.IMPLICIT_DENY);
    }

    private static Request source(String arn) {
        return new Request("sns:Publish", "*", Map.of("aws:SourceArn", List.of(arn)));
    }

    @Test
    void unknownOperatorsKeysAndElements_failLoudly() {
        Request any = new Request("a:B", "*", Map.of("aws:SourceAccount", List.of("123456789012")));

        assertThatThrownBy(() -> effect(List.of(conditional("DateGreaterThan", "aws:SourceAccount", "x")), any))
                .isInstanceOf(UnsupportedPolicyException.class).hasMessageContaining("DateGreaterThan");
        assertThatThrownBy(() -> effect(List.of(conditional("StringEquals", "aws:PrincipalOrgID", "o-1")), any))
                .isInstanceOf(UnsupportedPolicyException.class).hasMessageContaining("aws:PrincipalOrgID");
        assertThatThrownBy(() -> effect(List.of(conditional("StringEqualsIfExists", "aws:SourceAccount", "1")), any))
                .isInstanceOf(UnsupportedPolicyException.class);
        assertThatThrownBy(() -> effect(List.of(Map.of("Effect", "Allow", "Action", "*", "Resource", "*",
                "Principal", "*")), any)).isInstanceOf(UnsupportedPolicyException.class).hasMessageContaining("Principal");
        assertThatThrownBy(() -> effect(List.of(allow("*", Map.of("Ref", "Secret"))), any))
                .isInstanceOf(UnsupportedPolicyException.class).hasMessageContaining("resolve intrinsics");
        assertThatThrownBy(() -> effect(List.of(allow("*", "arn:aws:iam::1:user/${aws:username}")), any))
                .isInstanceOf(UnsupportedPolicyException.class).hasMessageContaining("policy variable");
    }

    @Test
    void nullCondition_testsPresence() {
        List<Map<String, Object>> absent = List.of(conditional("Null", "aws:ResourceTag/team", "true"));

        assertThat(effect(absent, Request.of("a:B", "*"))).isEqualTo(Effect.ALLOW);
        assertThat(effect(absent, new Request("a:B", "*", Map.of("aws:ResourceTag/team", List.of("x")))))
                .isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void coveredByAnAllow_looksAtActionsOfAllowStatementsOnly() {
        List<Map<String, Object>> policy = List.of(conditional("StringEquals", "aws:SourceAccount", "1"),
                Map.of("Effect", "Deny", "Action", "iam:*", "Resource", "*"));

        assertThat(PolicyEvaluator.coveredByAnAllow(List.of(allow("secretsmanager:Get*", SECRET)), "secretsmanager:GetSecretValue")).isTrue();
        assertThat(PolicyEvaluator.coveredByAnAllow(List.of(allow("secretsmanager:Get*", SECRET)), "secretsmanager:ListSecrets")).isFalse();
        assertThat(PolicyEvaluator.coveredByAnAllow(policy.subList(1, 2), "iam:GetUser")).isFalse();
    }

    private static Request tagging(List<String> keys) {
        return new Request("secretsmanager:TagResource", SECRET, Map.of("aws:TagKeys", keys));
    }

    private static Map<String, Object> conditional(String operator, String key, String value) {
        return Map.of("Effect", "Allow", "Action", "*", "Resource", "*", "Condition", Map.of(operator, Map.of(key, value)));
    }
}
