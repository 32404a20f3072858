package dev.secretrotator.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** Shared fixtures: the real jar, a fixed test environment, and template queries. */
final class TestSupport {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";
    static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging/app-a1B2c3";

    private TestSupport() {
    }

    /** The shaded jar: from the surefire property, else relative to the module (IDE runs). */
    static Path jar() {
        String configured = System.getProperty("rotator.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("..", "lambda", "target", "secret-rotator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the lambda jar must be built before these tests, got no file at "
                    + jar.toAbsolutePath() + "; run `mvn -B -DskipTests -pl lambda -am package` from the root");
        }
        return jar.toAbsolutePath().normalize();
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    static Path repoDir() {
        return moduleDir().getParent();
    }

    static Code code() {
        return Code.fromAsset(jar().toString());
    }

    static Stack stack() {
        return new Stack(new App(), "Test", StackProps.builder()
                .env(Environment.builder().account(ACCOUNT).region(REGION).build())
                .build());
    }

    static SecretRotatorFunctionProps.Builder props() {
        return SecretRotatorFunctionProps.builder().code(code());
    }

    static ISecret importedSecret(Stack stack, String id, String arn) {
        return Secret.fromSecretCompleteArn(stack, id, arn);
    }

    /** A rotator with one imported secret registered, so the stack synthesizes. */
    static SecretRotatorFunction rotatorWithSecret(Stack stack, SecretRotatorFunctionProps props) {
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", props);
        rotator.addRotatedSecret(importedSecret(stack, "Secret", SECRET_ARN));
        return rotator;
    }

    /** Every statement of every identity policy (AWS::IAM::Policy and inline Role policies) in the template. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> identityStatements(Template template) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object r : template.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r)
                    .get("Properties")).get("PolicyDocument");
            statements.addAll((List<Map<String, Object>>) doc.get("Statement"));
        }
        for (Object r : template.findResources("AWS::IAM::Role").values()) {
            Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) r).get("Properties");
            for (Map<String, Object> policy : (List<Map<String, Object>>) props.getOrDefault("Policies", List.of())) {
                statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument"))
                        .get("Statement"));
            }
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statementBySid(Template template, String sid) {
        return identityStatements(template).stream()
                .filter(s -> sid.equals(s.get("Sid")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no statement with Sid " + sid));
    }

    static List<Object> asList(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }
}
