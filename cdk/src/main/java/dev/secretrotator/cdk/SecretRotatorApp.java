package dev.secretrotator.cdk;

import dev.secretrotator.cdk.config.RotationConfig;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (see cdk.json). Context keys, all optional:
 * {@code config} (default {@code rotation-config.json}), {@code jarPath} (default
 * {@code ../lambda/target/secret-rotator.jar}), {@code stackName} (default {@code SecretRotator}),
 * {@code account} and {@code region} (default: environment-agnostic, so synth needs no credentials),
 * {@code nag} ({@code false} to skip the cdk-nag AwsSolutions checks that run on every synth).
 */
public final class SecretRotatorApp {

    private SecretRotatorApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Path config = Path.of(context(app, "config", "rotation-config.json"));
        Path jar = Path.of(context(app, "jarPath", SecretRotatorFunctionProps.DEFAULT_JAR_PATH));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the function jar must exist at " + jar.toAbsolutePath()
                    + ", got no file; build it from the repository root with "
                    + "`mvn -B -DskipTests -pl lambda -am package`, or pass -c jarPath=<file>");
        }
        StackProps.Builder props = StackProps.builder()
                .description("secret-rotator: rotation function, schedules, sweep and alarms");
        String account = context(app, "account", null);
        String region = context(app, "region", null);
        if (account != null || region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        new SecretRotatorStack(app, context(app, "stackName", "SecretRotator"), props.build(),
                RotationConfig.load(config), Code.fromAsset(jar.toString()));
        if (!"false".equals(context(app, "nag", "true"))) {
            Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        }
        app.synth();
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? fallback : value.toString();
    }
}
