package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.testing.iam.PolicyEvaluator;
import dev.secretrotator.testing.iam.PolicyEvaluator.Effect;
import dev.secretrotator.testing.iam.RecordedCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * design.md §2 rule 11: every AWS call the function made in the lambda module's
 * {@code PermissionContractIT} is allowed by the role the deployment creates: the synthesized CDK
 * stack and {@code templates/secret-rotator.yaml}, each with listed secrets and in tag mode. The
 * role's statements are resolved as CloudFormation would ({@link CfnResolver}) and evaluated with
 * the conditions they carry ({@code dev.secretrotator.testing.iam.PolicyEvaluator}).
 *
 * <p>The function the IT's secrets are configured with ({@code rotationFunctionArn} of the world,
 * named by emergency's {@code RotateSecret}) stands for the deployment's own function: the
 * resolver gives the stack's function that ARN ({@code Function.Arn}), so the recorded
 * {@code lambda:InvokeFunction} is held against the grant on the function itself.
 */
class PermissionContractTest {
    static final String TEMPLATE_SELECTOR_KEY = "rotation-deployment";
    static final SecretTag SELECTOR = new SecretTag(TEMPLATE_SELECTOR_KEY, "contract");

    static PermissionContract contract;

    @BeforeAll
    static void load() {
        contract = PermissionContract.load();
    }

    @Test
    void cdkRole_withListedSecrets_allowsEveryCallTheFunctionMakes() {
        assertGranted(cdkStatements(false), false, "the CDK role (listed secrets)");
    }

    @Test
    void cdkRole_inTagMode_allowsEveryCallTheFunctionMakes() {
        assertGranted(cdkStatements(true), true, "the CDK role (tag mode)");
    }

    @Test
    void template_withListedSecrets_allowsEveryCallTheFunctionMakes() throws Exception {
        assertGranted(templateStatements(false), false, "templates/secret-rotator.yaml (AllowedSecretArns)");
    }

    @Test
    void template_inTagMode_allowsEveryCallTheFunctionMakes() throws Exception {
        assertGranted(templateStatements(true), true, "templates/secret-rotator.yaml (SecretTagValue)");
    }

    /** Prefix mode (issue 17): the secrets are selected by name, and the sweep enumerates with ListSecrets. */
    @Test
    void cdkRoleAndTemplate_inPrefixMode_allowEveryCallTheFunctionMakes() throws Exception {
        String prefix = "contract/";
        assertThat(contract.rotated).allMatch(s -> s.name().startsWith(prefix));
        List<RecordedCall> required = contract.required(true, null);
        assertThat(required).extracting(RecordedCall::action).contains("secretsmanager:ListSecrets");

        Stack stack = contractStack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", contractProps(stack)
                .secretNamePrefixes(List.of(prefix)).build());
        List<Map<String, Object>> cdk = resolvedRole(stack, rotator);
        Map<String, String> parameters = templateParameters();
        parameters.put("AllowedSecretArns", "arn:" + contract.string("partition") + ":secretsmanager:" + contract.string("region")
                + ":" + contract.string("account") + ":secret:" + prefix + "*");
        parameters.put("SweepWithListSecrets", "true");
        List<Map<String, Object>> template = templateRole(parameters);

        assertThat(PermissionContract.denied(cdk, required, "the CDK role (prefix mode)")).isEmpty();
        assertThat(PermissionContract.denied(template, required, "the template (prefix mode)")).isEmpty();
        assertThat(effect(cdk, "secretsmanager:GetSecretValue", "arn:" + contract.string("partition") + ":secretsmanager:"
                + contract.string("region") + ":" + contract.string("account") + ":secret:other/db-AbCdEf", Map.of()))
                .as("a secret under no prefix").isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void recordedInvokes_areOfTheFunctionTheSecretsAreConfiguredWith() {
        // the mapping above is only sound if emergency's RotateSecret names the configured function
        String function = contract.string("rotationFunctionArn");
        List<RecordedCall> invokes = contract.calls.stream().filter(c -> c.action().equals("lambda:InvokeFunction")).toList();

        assertThat(invokes).as("RotateSecret's implied lambda:InvokeFunction").isNotEmpty()
                .allSatisfy(c -> assertThat(c.resource()).isEqualTo(function));
    }

    @Test
    void cdkRole_withSnapStart_mayInvokeTheFunctionsLiveAlias_andNoOtherFunction() {
        String function = contract.string("rotationFunctionArn");
        List<Map<String, Object>> role = cdkStatements(false, true);

        assertThat(effect(role, "lambda:InvokeFunction", function, Map.of())).isEqualTo(Effect.ALLOW);
        assertThat(effect(role, "lambda:InvokeFunction", function + ":live", Map.of())).isEqualTo(Effect.ALLOW);
        assertThat(effect(role, "lambda:InvokeFunction", function + "-other", Map.of())).isEqualTo(Effect.IMPLICIT_DENY);
        assertThat(effect(cdkStatements(false), "lambda:InvokeFunction", function + ":live", Map.of()))
                .as("without SnapStart there is no alias to invoke").isEqualTo(Effect.IMPLICIT_DENY);
    }

    @Test
    void everyRole_tagsOnlyWithItsOwnKeys_andListsSecretsOnlyInTagMode() throws Exception {
        String secret = contract.rotated.get(0).arn();
        for (boolean tagMode : List.of(false, true)) {
            for (List<Map<String, Object>> role : List.of(cdkStatements(tagMode), templateStatements(tagMode))) {
                Map<String, List<String>> tagged = tagMode
                        ? Map.of("aws:ResourceTag/" + SELECTOR.key(), List.of(SELECTOR.value())) : Map.of();
                assertThat(effect(role, "secretsmanager:TagResource", secret, with(tagged, "team")))
                        .as("tagging with a foreign key, tag mode %s", tagMode).isNotEqualTo(Effect.ALLOW);
                assertThat(effect(role, "secretsmanager:TagResource", secret, with(tagged, "secret-rotator:cutover", "team")))
                        .isNotEqualTo(Effect.ALLOW);
                assertThat(effect(role, "secretsmanager:TagResource", secret, tagged))
                        .as("tagging without tag keys").isNotEqualTo(Effect.ALLOW);
                for (String binding : List.of("secret-rotator:serves", "secret-rotator:endpoints", "secret-rotator:staging-twin")) {
                    assertThat(effect(role, "secretsmanager:TagResource", secret, with(tagged, binding)))
                            .as("writing the admin binding tag %s, tag mode %s", binding, tagMode)
                            .isEqualTo(Effect.EXPLICIT_DENY);
                }
                assertThat(effect(role, "secretsmanager:ListSecrets", "*", Map.of()))
                        .isEqualTo(tagMode ? Effect.ALLOW : Effect.IMPLICIT_DENY);
                if (tagMode) {
                    assertThat(effect(role, "secretsmanager:UntagResource", secret, with(tagged, SELECTOR.key())))
                            .isEqualTo(Effect.EXPLICIT_DENY);
                    assertThat(effect(role, "secretsmanager:GetSecretValue", secret, Map.of()))
                            .as("a secret without the selector tag").isEqualTo(Effect.IMPLICIT_DENY);
                }
            }
        }
    }

    @Test
    void everyActionTheLambdaTestsSaw_isCoveredByAnAllow() throws Exception {
        // action level only: ActionLog records what every lambda IT made the function call, without resources
        List<String> actions = PermissionContract.loggedActions();
        assertThat(actions).contains("secretsmanager:PutSecretValue");

        Map<String, List<Map<String, Object>>> roles = new LinkedHashMap<>();
        roles.put("the CDK role", both(cdkStatements(false), cdkStatements(true)));
        roles.put("templates/secret-rotator.yaml", both(templateStatements(false), templateStatements(true)));
        roles.forEach((policy, role) -> assertThat(actions.stream().filter(a -> !PolicyEvaluator.coveredByAnAllow(role, a)).toList())
                .as("actions the function called in the lambda tests that no Allow of %s names", policy).isEmpty());
    }

    private static List<Map<String, Object>> both(List<Map<String, Object>> listed, List<Map<String, Object>> tagged) {
        List<Map<String, Object>> out = new ArrayList<>(listed);
        out.addAll(tagged);
        return out;
    }

    private static void assertGranted(List<Map<String, Object>> statements, boolean tagMode, String policy) {
        List<RecordedCall> required = contract.required(tagMode, SELECTOR);
        assertThat(required).extracting(RecordedCall::action).contains("secretsmanager:TagResource", "lambda:InvokeFunction");
        assertThat(PermissionContract.denied(statements, required, policy))
                .as("calls the function makes that %s does not allow", policy).isEmpty();
    }

    private static Effect effect(List<Map<String, Object>> role, String action, String resource,
            Map<String, List<String>> context) {
        return PermissionContract.decide(role, action, resource, context).effect();
    }

    private static Map<String, List<String>> with(Map<String, List<String>> context, String... tagKeys) {
        Map<String, List<String>> out = new LinkedHashMap<>(context);
        out.put("aws:TagKeys", List.of(tagKeys));
        return out;
    }

    /** The rotator's role policy, synthesized for the contract's world and resolved. */
    static List<Map<String, Object>> cdkStatements(boolean tagMode) {
        return cdkStatements(tagMode, false);
    }

    static List<Map<String, Object>> cdkStatements(boolean tagMode, boolean snapStart) {
        Stack stack = contractStack();
        SecretRotatorFunctionProps.Builder props = contractProps(stack).snapStart(snapStart);
        if (tagMode) {
            props.secretTag(SELECTOR);
        }
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", props.build());
        if (!tagMode) {
            for (int i = 0; i < contract.rotated.size(); i++) {
                rotator.addRotatedSecret(Secret.fromSecretCompleteArn(stack, "Secret" + i, contract.rotated.get(i).arn()));
            }
        }
        return resolvedRole(stack, rotator);
    }

    static Stack contractStack() {
        return new Stack(new App(), "Contract", StackProps.builder().env(Environment.builder()
                .account(contract.string("account")).region(contract.string("region")).build()).build());
    }

    static SecretRotatorFunctionProps.Builder contractProps(Stack stack) {
        List<IKey> keys = new ArrayList<>();
        contract.strings("kmsKeyArns").forEach(k -> keys.add(Key.fromKeyArn(stack, "Key" + keys.size(), k)));
        return TestSupport.props()
                .adminSecretArns(contract.admins.stream().map(PermissionContract.Secret::arn).toList())
                .iamUserPath(contract.string("iamUserPath"))
                .assumeRoleArns(contract.strings("assumeRoleArns"))
                .secretsKeys(keys);
    }

    static List<Map<String, Object>> resolvedRole(Stack stack, SecretRotatorFunction rotator) {
        Map<String, Object> template = Template.fromStack(stack).toJSON();
        String role = stack.getLogicalId((CfnElement) rotator.getRole().getNode().getDefaultChild());
        String function = stack.getLogicalId((CfnElement) rotator.getFunction().getNode().getDefaultChild());
        return roleStatements(template, new CfnResolver(template, contract.string("partition"),
                contract.string("region"), contract.string("account"), Map.of())
                .with(function + ".Arn", contract.string("rotationFunctionArn")), role);
    }

    /** The role of templates/secret-rotator.yaml with the documented parameters for the world, resolved. */
    static List<Map<String, Object>> templateStatements(boolean tagMode) throws IOException, InterruptedException {
        Map<String, String> parameters = templateParameters();
        if (tagMode) {
            // the template's selector key is fixed (an IAM condition key cannot come from a parameter)
            assertThat(SELECTOR.key()).isEqualTo(TEMPLATE_SELECTOR_KEY);
            parameters.put("SecretTagValue", SELECTOR.value());
        } else {
            parameters.put("AllowedSecretArns", String.join(",", contract.rotated.stream().map(PermissionContract.Secret::arn).toList()));
        }
        return templateRole(parameters);
    }

    static Map<String, String> templateParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("CodeBucket", "artifacts");
        parameters.put("CodeKey", "secret-rotator.jar");
        parameters.put("AdminSecretArns", String.join(",", contract.admins.stream().map(PermissionContract.Secret::arn).toList()));
        parameters.put("IamUserPath", contract.string("iamUserPath"));
        parameters.put("AssumeRoleArns", String.join(",", contract.strings("assumeRoleArns")));
        parameters.put("KmsKeyArns", String.join(",", contract.strings("kmsKeyArns")));
        return parameters;
    }

    static List<Map<String, Object>> templateRole(Map<String, String> parameters) throws IOException, InterruptedException {
        Map<String, Object> template = yaml("secret-rotator.yaml");
        return roleStatements(template, new CfnResolver(template, contract.string("partition"), contract.string("region"),
                contract.string("account"), parameters).with("Function.Arn", contract.string("rotationFunctionArn")), "Role");
    }

    /** The statements of the role's inline policies and of every AWS::IAM::Policy attached to it. */
    static List<Map<String, Object>> roleStatements(Map<String, Object> template, CfnResolver resolver, String roleId) {
        Map<String, Object> resources = CfnResolver.map(template.get("Resources"));
        Map<String, Object> role = CfnResolver.map(resources.get(roleId));
        assertThat(role).as("role %s in the template", roleId).containsEntry("Type", "AWS::IAM::Role");
        Map<String, Object> roleProps = CfnResolver.map(role.get("Properties"));
        assertThat(roleProps).as("managed policies cannot be evaluated here").doesNotContainKey("ManagedPolicyArns");
        List<Object> documents = new ArrayList<>();
        CfnResolver.list(resolver.resolve(roleProps.getOrDefault("Policies", List.of())))
                .forEach(p -> documents.add(CfnResolver.map(p).get("PolicyDocument")));
        resources.values().stream().map(CfnResolver::map).filter(r -> "AWS::IAM::Policy".equals(r.get("Type")))
                .map(r -> CfnResolver.map(r.get("Properties")))
                .filter(p -> CfnResolver.list(p.get("Roles")).contains(Map.of("Ref", roleId)))
                .forEach(p -> documents.add(resolver.resolve(p.get("PolicyDocument"))));
        List<Map<String, Object>> statements = new ArrayList<>();
        documents.forEach(d -> CfnResolver.list(CfnResolver.map(d).get("Statement")).forEach(s -> statements.add(CfnResolver.map(s))));
        assertThat(statements).as("statements of role %s", roleId).isNotEmpty();
        return statements;
    }

    /** A template in templates/, its short-form tags decoded by cfn-lint's own decoder. */
    static Map<String, Object> yaml(String name) throws IOException, InterruptedException {
        String file = TestSupport.repoDir().resolve("templates").resolve(name).toString();
        Process p = new ProcessBuilder("python3", "-c", "import json,sys\nfrom cfnlint.decode import decode\n"
                + "t,m=decode(sys.argv[1])\nassert not m, m\nprint(json.dumps(t))", file).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("decoding %s with cfn-lint's decoder (pip install cfn-lint); output:%n%s", name, out).isTrue();
        return JSON.std.mapFrom(out);
    }
}
