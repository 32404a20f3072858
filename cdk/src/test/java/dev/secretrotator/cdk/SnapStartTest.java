package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Issue 15 item 4: with SnapStart every deployment publishes a version, and everything that invokes
 * the function (Secrets Manager, the sweep, the automatic rollback, failed-invocation handling)
 * invokes the {@code live} alias, whose version is the one with the snapshot.
 */
class SnapStartTest {
    static Template template;
    static String function;
    static String alias;

    @BeforeAll
    static void synth() {
        template = Template.fromStack(TestStacks.everyOption(new App()));
        function = only(template.findResources("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Properties", Map.of("Handler", SecretRotatorFunction.HANDLER)))));
        alias = only(template.findResources("AWS::Lambda::Alias"));
    }

    @Test
    void function_snapshotsPublishedVersions_andTheLiveAliasPointsAtThisDeploymentsVersion() {
        // GIVEN / WHEN the stack with every option

        // THEN
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", SecretRotatorFunction.HANDLER, "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
        String version = only(template.findResources("AWS::Lambda::Version"));
        template.hasResourceProperties("AWS::Lambda::Version", Match.objectLike(Map.of("FunctionName", Map.of("Ref", function))));
        template.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of(
                "Name", "live",
                "FunctionName", Map.of("Ref", function),
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version")))));
    }

    @Test
    void secretsManager_rotatesThroughTheAlias_withAnAccountScopedPermission() {
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "RotationLambdaARN", Map.of("Ref", alias))));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "secretsmanager.amazonaws.com",
                "FunctionName", Map.of("Ref", alias),
                "SourceAccount", TestSupport.ACCOUNT)));
        assertThat(template.findResources("AWS::SecretsManager::RotationSchedule").toString())
                .as("no schedule names the unpublished function").doesNotContain(function + "\", \"Arn\"")
                .doesNotContain("{Fn::GetAtt=[" + function + ", Arn]}");
    }

    @Test
    void sweepAndAutomaticRollback_invokeTheAlias_andMayDoSo() {
        // THEN every rule target that is a Lambda function is the alias (the sweep's and the rollback's)
        List<Object> lambdaTargets = template.findResources("AWS::Events::Rule").values().stream()
                .flatMap(r -> targets(r).stream())
                .map(t -> t.get("Arn"))
                .filter(arn -> arn.toString().contains(function) || arn.toString().contains(alias))
                .toList();
        assertThat(lambdaTargets).hasSize(2).allSatisfy(arn -> assertThat(arn).isEqualTo(Map.of("Ref", alias)));
        Map<String, Map<String, Object>> eventPermissions = template.findResources("AWS::Lambda::Permission",
                Match.objectLike(Map.of("Properties", Map.of("Principal", "events.amazonaws.com"))));
        assertThat(eventPermissions).hasSize(2).allSatisfy((id, p) -> assertThat(properties(p).get("FunctionName"))
                .isEqualTo(Map.of("Ref", alias)));
        // and an asynchronous invocation of the alias that fails lands in the failed-invocations queue
        // (the qualifier is the alias ARN's 8th field: live)
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of(
                "FunctionName", Map.of("Ref", function),
                "Qualifier", Map.of("Fn::Select", List.of(7, Map.of("Fn::Split", List.of(":", Map.of("Ref", alias))))),
                "DestinationConfig", Match.objectLike(Map.of("OnFailure", Match.anyValue())))));
    }

    @Test
    void role_mayInvokeTheFunctionsOwnVersionsAndAliases_forEmergencyRotation() {
        Map<String, Object> invoke = TestSupport.statementBySid(template, "InvokeRotationFunction");
        assertThat(invoke).containsEntry("Action", "lambda:InvokeFunction");
        assertThat(invoke.get("Resource")).asList().hasSize(2)
                .contains(Map.of("Fn::GetAtt", List.of(function, "Arn")))
                .contains(Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(function, "Arn")), ":*"))));
    }

    @Test
    void alarms_watchTheFunctionAcrossAllItsVersions() {
        // Lambda's FunctionName-only metrics aggregate every version and alias, the live one included
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "Errors", "Namespace", "AWS/Lambda",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", function))))));
    }

    @Test
    void codeChange_publishesANewVersion(@TempDir Path dir) throws Exception {
        // GIVEN two builds of the function
        Path build1 = Files.writeString(dir.resolve("build-1.jar"), "one build");
        Path build2 = Files.writeString(dir.resolve("build-2.jar"), "another build");

        // WHEN each is deployed with SnapStart (and the first twice)
        String v1 = versionOf(build1);
        String v1Again = versionOf(build1);
        String v2 = versionOf(build2);

        // THEN a new build is a new AWS::Lambda::Version (so a new snapshot); the same build is not
        assertThat(v2).isNotEqualTo(v1);
        assertThat(v1Again).isEqualTo(v1);
    }

    @Test
    void sweep_withSnapStart_mustRunWithinLambdasIdleLimit() {
        // GIVEN
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = TestSupport.rotatorWithSecret(stack, TestSupport.props().snapStart(true).build());

        // WHEN / THEN a sweep every 14 days would let the snapshot expire between sweeps
        assertThatThrownBy(() -> new RetirementSweep(stack, "Sweep", rotator, "rate(14 days)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more often than every 14 days").hasMessageContaining("rate(14 days)");
        new RetirementSweep(stack, "EveryThirteenDays", rotator, "rate(13 days)");
    }

    private static String versionOf(Path jar) {
        Stack stack = TestSupport.stack();
        TestSupport.rotatorWithSecret(stack, SecretRotatorFunctionProps.builder()
                .code(Code.fromAsset(jar.toString())).snapStart(true).build());
        return only(Template.fromStack(stack).findResources("AWS::Lambda::Version"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targets(Map<String, Object> rule) {
        Object targets = properties(rule).get("Targets");
        return targets == null ? List.of() : (List<Map<String, Object>>) targets;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    private static String only(Map<String, Map<String, Object>> resources) {
        assertThat(resources).hasSize(1);
        return resources.keySet().iterator().next();
    }
}
