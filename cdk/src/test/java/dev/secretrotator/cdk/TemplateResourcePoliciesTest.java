package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.iam.PolicyEvaluator;
import dev.secretrotator.testing.iam.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 10e in templates/secret-rotator.yaml: the alarm topic's KMS key and topic policy
 * let the AWS services that publish use them only for this account's alarms and rules
 * (aws:SourceAccount, aws:SourceArn), so another account's alarm or rule cannot.
 */
class TemplateResourcePoliciesTest {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    /** What the rule's Arn resolves to: ArnEquals compares real ARNs component by component. */
    static final String RULE_ARN = "arn:aws:events:eu-west-1:123456789012:rule/contract-RotationFailedRule";
    static final String ROLLBACK_RULE_ARN = "arn:aws:events:eu-west-1:123456789012:rule/contract-AutomaticRollbackOutcomesRule";
    static final String SWEEP_RULE_ARN = "arn:aws:events:eu-west-1:123456789012:rule/contract-SweepRule";
    static Map<String, Object> resources;

    @BeforeAll
    static void resolve() throws Exception {
        Map<String, Object> template = PermissionContractTest.yaml("secret-rotator.yaml");
        CfnResolver resolver = new CfnResolver(template, "aws", REGION, ACCOUNT,
                Map.of("CodeBucket", "artifacts", "CodeKey", "secret-rotator.jar", "AllowedSecretArns", "x"))
                .with("RotationFailedRule.Arn", RULE_ARN)
                .with("AutomaticRollbackOutcomesRule.Arn", ROLLBACK_RULE_ARN)
                .with("SweepRule.Arn", SWEEP_RULE_ARN);
        resources = CfnResolver.map(resolver.resolve(template.get("Resources")));
    }

    @Test
    void topicKey_servesOnlyThisAccountsAlarmsAndRules() {
        List<Map<String, Object>> key = serviceStatements("TopicKey", "KeyPolicy");

        assertThat(allowed(key, "kms:GenerateDataKey", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:FunctionErrors", ACCOUNT)).isTrue();
        assertThat(allowed(key, "kms:Decrypt", "arn:aws:events:eu-west-1:123456789012:rule/RotationFailed", ACCOUNT)).isTrue();
        assertThat(allowed(key, "kms:Decrypt", "arn:aws:cloudwatch:eu-west-1:999999999999:alarm:theirs", "999999999999")).isFalse();
        assertThat(allowed(key, "kms:Decrypt", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x", "999999999999")).isFalse();
    }

    @Test
    void topicPolicy_letsOnlyTheRotationFailedRulePublish() {
        List<Map<String, Object>> topic = serviceStatements("TopicPolicy", "PolicyDocument");

        assertThat(allowed(topic, "sns:Publish", RULE_ARN, ACCOUNT)).isTrue();
        assertThat(allowed(topic, "sns:Publish", "arn:aws:events:eu-west-1:123456789012:rule/other", ACCOUNT)).isFalse();
        assertThat(allowed(topic, "sns:Publish", RULE_ARN, "999999999999")).isFalse();
    }

    @Test
    void topicPolicy_letsTheAutomaticRollbackOutcomesRulePublish() {
        List<Map<String, Object>> topic = serviceStatements("TopicPolicy", "PolicyDocument");

        assertThat(allowed(topic, "sns:Publish", ROLLBACK_RULE_ARN, ACCOUNT)).isTrue();
    }

    @Test
    void failedInvocations_queueTakesOnlyTheSweepRulesUndeliveredEvents_andTheFunctionsFailures() {
        List<Map<String, Object>> queue = serviceStatements("FailedInvocationsQueuePolicy", "PolicyDocument");
        assertThat(allowed(queue, "sqs:SendMessage", SWEEP_RULE_ARN, ACCOUNT)).isTrue();
        assertThat(allowed(queue, "sqs:SendMessage", "arn:aws:events:eu-west-1:123456789012:rule/other", ACCOUNT)).isFalse();

        Map<String, Object> invokeConfig = CfnResolver.map(CfnResolver.map(resources.get("AsyncInvokeConfig")).get("Properties"));
        assertThat(invokeConfig.get("DestinationConfig").toString()).contains("FailedInvocationsQueue.Arn");
        Map<String, Object> alarm = CfnResolver.map(CfnResolver.map(resources.get("FailedInvocationsAlarm")).get("Properties"));
        assertThat(alarm).containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        assertThat(CfnResolver.map(resources.get("SweepRule")).toString()).contains("DeadLetterConfig");
    }

    /** The statements whose principal is an AWS service, without the Principal (the evaluator is for identities). */
    static List<Map<String, Object>> serviceStatements(String resource, String document) {
        Map<String, Object> properties = CfnResolver.map(CfnResolver.map(resources.get(resource)).get("Properties"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object s : CfnResolver.list(CfnResolver.map(properties.get(document)).get("Statement"))) {
            Map<String, Object> statement = new LinkedHashMap<>(CfnResolver.map(s));
            if (statement.remove("Principal") instanceof Map<?, ?> p && p.containsKey("Service")) {
                assertThat(statement).as("%s statement %s", resource, statement.get("Sid")).containsKey("Condition");
                out.add(statement);
            }
        }
        assertThat(out).as("service statements of %s", resource).isNotEmpty();
        return out;
    }

    private static boolean allowed(List<Map<String, Object>> statements, String action, String sourceArn, String sourceAccount) {
        String resource = action.startsWith("sns:") ? "Topic.Ref" : action.startsWith("sqs:") ? "FailedInvocationsQueue.Arn" : "*";
        return PolicyEvaluator.evaluate(statements, new Request(action, resource, Map.of(
                "aws:SourceArn", List.of(sourceArn), "aws:SourceAccount", List.of(sourceAccount)))).allowed();
    }
}
