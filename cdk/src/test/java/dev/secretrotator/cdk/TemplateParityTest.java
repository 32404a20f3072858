package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 9, template parity: templates/secret-rotator.yaml takes the retirement timings and
 * a list of KMS keys, as the CDK props do (gracePeriod, quietPeriod, deleteAfter, secretsKeys); issue 15:
 * and the Java runtime (runtime), with the same default.
 */
class TemplateParityTest {
    static final String KEY_A = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111";
    static final String KEY_B = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222";

    @Test
    void retirementTimings_comeFromParameters_withTheCdkDefaults() throws Exception {
        assertThat(environment(Map.of())).containsEntry("ROTATOR_GRACE_PERIOD", "PT24H")
                .containsEntry("ROTATOR_QUIET_PERIOD", "PT4H").containsEntry("ROTATOR_DELETE_AFTER", "PT48H");
        assertThat(environment(Map.of("GracePeriod", "PT12H", "QuietPeriod", "PT2H", "DeleteAfter", "P7D")))
                .containsEntry("ROTATOR_GRACE_PERIOD", "PT12H").containsEntry("ROTATOR_QUIET_PERIOD", "PT2H")
                .containsEntry("ROTATOR_DELETE_AFTER", "P7D");
    }

    @Test
    void javaRuntime_isJava25ByDefault_andJava21WhenChosen() throws Exception {
        assertThat(function(Map.of())).containsEntry("Runtime", "java25");
        assertThat(function(Map.of("JavaRuntime", "java21"))).containsEntry("Runtime", "java21");
    }

    @Test
    void kmsKeyArns_grantsEveryKey_throughSecretsManagerOnly() throws Exception {
        List<Map<String, Object>> statements = roleStatements(Map.of("KmsKeyArns", KEY_A + "," + KEY_B));
        assertThat(statements).anySatisfy(s -> {
            assertThat(s.get("Sid")).isEqualTo("UseSecretsKeyList");
            assertThat(s.get("Resource")).isEqualTo(List.of(KEY_A, KEY_B));
            assertThat(s.get("Condition").toString()).contains("kms:ViaService");
        });
    }

    private static Map<String, Object> environment(Map<String, String> extra) throws Exception {
        return CfnResolver.map(CfnResolver.map(function(extra).get("Environment")).get("Variables"));
    }

    private static Map<String, Object> function(Map<String, String> extra) throws Exception {
        Map<String, Object> template = PermissionContractTest.yaml("secret-rotator.yaml");
        Map<String, Object> resources = CfnResolver.map(resolver(template, extra).resolve(template.get("Resources")));
        return CfnResolver.map(CfnResolver.map(resources.get("Function")).get("Properties"));
    }

    private static List<Map<String, Object>> roleStatements(Map<String, String> extra) throws Exception {
        Map<String, Object> template = PermissionContractTest.yaml("secret-rotator.yaml");
        return PermissionContractTest.roleStatements(template, resolver(template, extra), "Role");
    }

    private static CfnResolver resolver(Map<String, Object> template, Map<String, String> extra) {
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("CodeBucket", "artifacts",
                "CodeKey", "secret-rotator.jar", "AllowedSecretArns", "x"));
        parameters.putAll(extra);
        return new CfnResolver(template, "aws", "eu-west-1", "123456789012", parameters);
    }
}
