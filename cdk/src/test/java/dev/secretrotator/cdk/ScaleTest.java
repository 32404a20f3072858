package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * Issue 17 item 1: a deployment of 1,000 secrets passes every CloudFormation, Lambda and
 * EventBridge limit, because nothing in the rotator's stack grows per secret and the schedules live
 * in the teams' own stacks (at most {@link #PER_TEAM} each here).
 */
class ScaleTest {
    static final int SECRETS = 1_000;
    static final int PER_TEAM = 200;
    static final int MAX_RESOURCES = 500;
    static final int MAX_TEMPLATE_BYTES = 1_000_000;
    static final int MAX_ENVIRONMENT_BYTES = 4 * 1024;
    static final int MAX_TARGET_INPUT_CHARS = 8_192;

    @Test
    void thousandSecrets_inTagMode_withSchedulesInTeamStacks_passEveryLimit() throws Exception {
        CloudAssembly assembly = deploy(SecretRotatorFunctionProps.builder().code(TestSupport.code())
                .secretTag(new SecretTag("rotation-deployment", "platform")).build());

        assertEveryLimit(assembly, SECRETS);
    }

    @Test
    void thousandSecrets_inPrefixMode_passEveryLimit() throws Exception {
        CloudAssembly assembly = deploy(SecretRotatorFunctionProps.builder().code(TestSupport.code())
                .secretNamePrefixes(List.of("team-")).build());

        assertEveryLimit(assembly, SECRETS);
    }

    @Test
    void thousandSecrets_fromTheConfigurationFile_inTagMode_withNestedStacks_passEveryLimit() throws Exception {
        // GIVEN 1,000 secrets: 250 in the main stack, the others in nested stacks of 250
        App app = new App();
        new SecretRotatorStack(app, "SecretRotator", StackProps.builder().build(),
                dev.secretrotator.cdk.config.RotationConfig.parse(config(SECRETS, 250)), TestSupport.code());

        // WHEN
        CloudAssembly assembly = app.synth();

        // THEN
        assertEveryLimit(assembly, SECRETS);
    }

    @Test
    void configurationFile_refusesMoreSchedulesThanAStackHolds_andSaysHowToSplit() {
        assertThatThrownBy(() -> dev.secretrotator.cdk.config.RotationConfig.parse(config(301, 1_000)))
                .hasMessageContaining("at most 300 rotation schedules").hasMessageContaining("got 301 in (main stack)")
                .hasMessageContaining("\"stack\"");
    }

    @Test
    void configurationFile_inTagMode_givesTheFunctionTheTag_andASecretTagWithoutValueIsRejected() {
        SecretRotatorStack stack = new SecretRotatorStack(new App(), "SecretRotator", StackProps.builder().build(),
                dev.secretrotator.cdk.config.RotationConfig.parse(config(2, 1)), TestSupport.code());

        assertThat(stack.getRotator().getProps().secretTag()).isEqualTo(new SecretTag("rotation-deployment", "platform"));
        assertThat(stack.getRotator().isSelected()).isTrue();
        assertThatThrownBy(() -> dev.secretrotator.cdk.config.RotationConfig.parse(
                config(1, 1).replace("rotation-deployment=platform", "platform")))
                .hasMessageContaining("secretTag must be key=value");
    }

    @Test
    void listedMode_refusesSecretNumber21_andNamesTheSelectors() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        for (int i = 0; i < SecretRotatorFunction.MAX_LISTED_SECRETS; i++) {
            rotator.addRotatedSecret(Secret.fromSecretCompleteArn(stack, "S" + i, arn("listed/s" + i)));
        }

        assertThatThrownBy(() -> rotator.addRotatedSecret(Secret.fromSecretCompleteArn(stack, "S20", arn("listed/s20"))))
                .hasMessageContaining("at most 20 secrets").hasMessageContaining("secret number 21")
                .hasMessageContaining("secretTag").hasMessageContaining("secretNamePrefixes");
    }

    /** The rotator with alarms and sweep in one stack; 5 team stacks of 200 schedules each. */
    private static CloudAssembly deploy(SecretRotatorFunctionProps props) {
        App app = new App();
        Stack platform = stack(app, "Platform");
        SecretRotatorFunction rotator = new SecretRotatorFunction(platform, "Rotator", props);
        RetirementSweep sweep = new RetirementSweep(platform, "Sweep", rotator, null);
        new RotationAlarms(platform, "Monitoring", RotationAlarmsProps.of(rotator).withSweep(sweep));
        for (int team = 0; team < SECRETS / PER_TEAM; team++) {
            Stack teamStack = stack(app, "Team" + team);
            for (int i = 0; i < PER_TEAM; i++) {
                String id = "S" + i;
                new SecretRotation(teamStack, id, SecretRotationProps.of(
                        Secret.fromSecretCompleteArn(teamStack, id + "Secret", arn("team-" + team + "/service-" + i)),
                        rotator, RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)));
            }
        }
        return app.synth();
    }

    /** A configuration in tag mode with {@code count} secrets, {@code perStack} to a stack. */
    private static String config(int count, int perStack) {
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> s = new java.util.LinkedHashMap<>(Map.of("name", "S" + i, "secretArn", arn("team/s" + i),
                    "provider", "random-password", "tier", "high", "environment", "production"));
            if (i >= perStack) {
                s.put("stack", "batch-" + (i / perStack));
            }
            secrets.add(s);
        }
        try {
            return JSON.std.asString(Map.of("secretTag", "rotation-deployment=platform", "secrets", secrets));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every template of the assembly, nested stacks' included. */
    @SuppressWarnings("unchecked")
    private static void assertEveryLimit(CloudAssembly assembly, int secrets) throws Exception {
        int schedules = 0;
        List<Path> files;
        try (var list = Files.list(Path.of(assembly.getDirectory()))) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".template.json")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(assembly.getStacks().size());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            Map<String, Object> template = JSON.std.mapFrom(new String(bytes, StandardCharsets.UTF_8));
            Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
            String name = file.getFileName().toString();
            assertThat(resources).as("resources of %s", name).hasSizeLessThanOrEqualTo(MAX_RESOURCES);
            assertThat(bytes.length).as("template bytes of %s", name).isLessThanOrEqualTo(MAX_TEMPLATE_BYTES);
            for (Object r : resources.values()) {
                Map<String, Object> resource = (Map<String, Object>) r;
                Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                switch ((String) resource.get("Type")) {
                    case "AWS::SecretsManager::RotationSchedule" -> schedules++;
                    case "AWS::Lambda::Function" -> assertThat(environmentBytes(properties))
                            .as("environment of a function in %s", name).isLessThanOrEqualTo(MAX_ENVIRONMENT_BYTES);
                    case "AWS::Events::Rule" -> {
                        for (Object t : (List<Object>) properties.getOrDefault("Targets", List.of())) {
                            Object input = ((Map<String, Object>) t).get("Input");
                            assertThat(input == null ? 0 : JSON.std.asString(input).length())
                                    .as("target input of a rule in %s", name).isLessThanOrEqualTo(MAX_TARGET_INPUT_CHARS);
                        }
                    }
                    default -> { }
                }
            }
        }
        assertThat(schedules).isEqualTo(secrets);
    }

    /**
     * Lambda's 4 KB counts keys and values; unresolved values ({@code Fn::Join} of an ARN) are
     * counted as their JSON, which is longer than what they resolve to.
     */
    @SuppressWarnings("unchecked")
    private static int environmentBytes(Map<String, Object> function) throws Exception {
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) function
                .getOrDefault("Environment", Map.of())).getOrDefault("Variables", Map.of());
        int bytes = 0;
        for (Map.Entry<String, Object> e : variables.entrySet()) {
            Object v = e.getValue();
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (v instanceof String s ? s : JSON.std.asString(v)).getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    private static Stack stack(App app, String id) {
        return new Stack(app, id, StackProps.builder()
                .env(Environment.builder().account(TestSupport.ACCOUNT).region(TestSupport.REGION).build()).build());
    }

    private static String arn(String name) {
        return "arn:aws:secretsmanager:" + TestSupport.REGION + ":" + TestSupport.ACCOUNT + ":secret:" + name + "-a1B2c3";
    }
}
