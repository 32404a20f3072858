package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code templates/secret-rotator.yaml}'s FastStart parameter: the fast-start zip on provided.al2023. */
class TemplateFastStartTest {

    @Test
    void fastStart_runsTheZipOnProvidedAl2023WithTheSameHandlerAndNoJavaToolOptions() throws Exception {
        Map<String, Object> function = function(Map.of("FastStart", "true"));

        assertThat(function).containsEntry("Runtime", "provided.al2023")
                .containsEntry("Handler", SecretRotatorFunction.HANDLER);
        assertThat(variables(function)).doesNotContainKey("JAVA_TOOL_OPTIONS").containsKey("ROTATOR_VERIFY_SUCCESSES");
    }

    @Test
    void byDefault_runsTheJarOnTheJavaRuntimeWithTheC1Flags() throws Exception {
        Map<String, Object> function = function(Map.of());

        assertThat(function.get("Runtime").toString()).startsWith("java");
        assertThat(variables(function)).containsEntry("JAVA_TOOL_OPTIONS", SecretRotatorFunctionProps.DEFAULT_JAVA_TOOL_OPTIONS);
    }

    @Test
    void fastStart_grantsWhatTheDefaultGrants() throws Exception {
        assertThat(resolved(Map.of("FastStart", "true")).get("Role")).isEqualTo(resolved(Map.of()).get("Role"));
    }

    private static Map<String, Object> variables(Map<String, Object> function) {
        return CfnResolver.map(CfnResolver.map(function.get("Environment")).get("Variables"));
    }

    private static Map<String, Object> function(Map<String, String> parameters) throws Exception {
        return CfnResolver.map(CfnResolver.map(resolved(parameters).get("Function")).get("Properties"));
    }

    private static Map<String, Object> resolved(Map<String, String> given) throws Exception {
        Map<String, Object> template = PermissionContractTest.yaml("secret-rotator.yaml");
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("CodeBucket", "artifacts", "CodeKey", "rotator.zip",
                "AllowedSecretArns", TestSupport.SECRET_ARN));
        parameters.putAll(given);
        CfnResolver resolver = new CfnResolver(template, "aws", TestSupport.REGION, TestSupport.ACCOUNT, parameters);
        return CfnResolver.map(resolver.resolve(template.get("Resources")));
    }
}
