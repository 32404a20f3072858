package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 items 1 and 3 in {@code templates/secret-rotator.yaml}: the function learns the tag,
 * prefix mode's sweep enumerates instead of listing, and the alarms select the deployment's function.
 */
class TemplateSelectionTest {

    @Test
    void tagMode_givesTheFunctionTheSelectorTag() throws Exception {
        Map<String, Object> env = environment(Map.of("SecretTagValue", "platform"));

        assertThat(env).containsEntry("ROTATOR_SECRET_TAG", "rotation-deployment=platform");
    }

    @Test
    void prefixMode_withSweepWithListSecrets_sweepsWithoutAListAndMayListSecrets() throws Exception {
        Map<String, String> parameters = Map.of("AllowedSecretArns",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:team-a/*", "SweepWithListSecrets", "true");

        Map<String, Object> resources = resolved(parameters);

        assertThat(CfnResolver.map(resources.get("SweepRule")).toString()).contains("Input={\"action\":\"sweep\"}");
        assertThat(CfnResolver.map(resources.get("Role")).toString()).contains("ListSecretsForSweep");
        assertThat(CfnResolver.map(resources.get("Function")).toString()).contains("ROTATOR_SECRET_TAG=,");
    }

    @Test
    void rotatorMetricAlarms_selectThisDeploymentsFunction() throws Exception {
        Map<String, Object> resources = CfnResolver.map(PermissionContractTest.yaml("secret-rotator.yaml").get("Resources"));

        for (String alarm : List.of("StaleCredentialInUseAlarm", "SweepFailedAlarm")) {
            Map<String, Object> p = CfnResolver.map(CfnResolver.map(resources.get(alarm)).get("Properties"));
            assertThat(p.get("Dimensions")).as(alarm)
                    .isEqualTo(List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", "Function"))));
        }
    }

    private static Map<String, Object> environment(Map<String, String> parameters) throws Exception {
        Map<String, Object> function = CfnResolver.map(CfnResolver.map(resolved(parameters).get("Function")).get("Properties"));
        return CfnResolver.map(CfnResolver.map(function.get("Environment")).get("Variables"));
    }

    private static Map<String, Object> resolved(Map<String, String> given) throws Exception {
        Map<String, Object> template = PermissionContractTest.yaml("secret-rotator.yaml");
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("CodeBucket", "artifacts", "CodeKey", "rotator.jar"));
        parameters.putAll(given);
        CfnResolver resolver = new CfnResolver(template, "aws", TestSupport.REGION, TestSupport.ACCOUNT, parameters);
        return CfnResolver.map(resolver.resolve(template.get("Resources")));
    }
}
