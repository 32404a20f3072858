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
    void everyActionTheLambdaTestsSaw_isCoveredByAnAllow() {
        // action level only: ActionLog records what every lambda IT made the function call, without resources
        List<String> actions = PermissionContract.loggedActions();
        List<Map<String, Object>> role = new ArrayList<>(cdkStatements(false));
        role.addAll(cdkStatements(true));

        assertThat(actions).contains("secretsmanager:PutSecretValue");
        assertThat(actions.stream().filter(a -> !PolicyEvaluator.coveredByAnAllow(role, a)).toList())
                .as("actions the function called in the lambda tests that no Allow of the CDK role names").isEmpty();
    }

    private static void assertGranted(List<Map<String, Object>> statements, boolean tagMode, String policy) {
        List<RecordedCall> required = contract.required(tagMode, SELECTOR);
        assertThat(required).extracting(RecordedCall::action).contains("secretsmanager:TagResource");
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
        Stack stack = new Stack(new App(), "Contract", StackProps.builder().env(Environment.builder()
                .account(contract.string("account")).region(contract.string("region")).build()).build());
        List<IKey> keys = new ArrayList<>();
        contract.strings("kmsKeyArns").forEach(k -> keys.add(Key.fromKeyArn(stack, "Key" + keys.size(), k)));
        SecretRotatorFunctionProps.Builder props = TestSupport.props()
                .adminSecretArns(contract.admins.stream().map(PermissionContract.Secret::arn).toList())
                .iamUserPath(contract.string("iamUserPath"))
                .assumeRoleArns(contract.strings("assumeRoleArns"))
                .secretsKeys(keys);
        if (tagMode) {
            props.secretTag(SELECTOR);
        }
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", props.build());
        if (!tagMode) {
            for (int i = 0; i < contract.rotated.size(); i++) {
                rotator.addRotatedSecret(Secret.fromSecretCompleteArn(stack, "Secret" + i, contract.rotated.get(i).arn()));
            }
        }
        Map<String, Object> template = Template.fromStack(stack).toJSON();
        String role = stack.getLogicalId((CfnElement) rotator.getRole().getNode().getDefaultChild());
        return roleStatements(template, new CfnResolver(template, contract.string("partition"),
                contract.string("region"), contract.string("account"), Map.of()), role);
    }

    /** The role of templates/secret-rotator.yaml with the documented parameters for the world, resolved. */
    static List<Map<String, Object>> templateStatements(boolean tagMode) throws IOException, InterruptedException {
        Map<String, Object> template = yaml("secret-rotator.yaml");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("CodeBucket", "artifacts");
        parameters.put("CodeKey", "secret-rotator.jar");
        parameters.put("AdminSecretArns", String.join(",", contract.admins.stream().map(PermissionContract.Secret::arn).toList()));
        parameters.put("IamUserPath", contract.string("iamUserPath"));
        parameters.put("AssumeRoleArns", String.join(",", contract.strings("assumeRoleArns")));
        parameters.put("KmsKeyArns", String.join(",", contract.strings("kmsKeyArns")));
        if (tagMode) {
            // the template's selector key is fixed (an IAM condition key cannot come from a parameter)
            assertThat(SELECTOR.key()).isEqualTo(TEMPLATE_SELECTOR_KEY);
            parameters.put("SecretTagValue", SELECTOR.value());
        } else {
            parameters.put("AllowedSecretArns", String.join(",", contract.rotated.stream().map(PermissionContract.Secret::arn).toList()));
        }
        return roleStatements(template, new CfnResolver(template, contract.string("partition"), contract.string("region"),
                contract.string("account"), parameters), "Role");
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
