package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The files under examples/ work with {@code invoke} as they are, in the order examples/README.md gives. */
@ExtendWith(Moto.class)
class ExamplesIT {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final String NAME = "secret-rotator-example/db";
    static final String TOKEN = "11111111-2222-4333-8444-555555555555";

    @TempDir
    Path dir;

    @Test
    void exampleEvents_rotateTheExampleSecret_asTheReadmeSays(MotoServer moto) throws Exception {
        // GIVEN the README's setup: the example secret, its rotation started with the examples' token
        SecretsManagerClient client = moto.configure(SecretsManagerClient.builder()).build();
        String value = readExample("secret-value.json");
        client.createSecret(b -> b.name(NAME).secretString(value));
        try {
            client.rotateSecret(b -> b.secretId(NAME).clientRequestToken(TOKEN)
                    .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:secret-rotator")
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
        } catch (ResourceNotFoundException expected) {
            // the emulator has no Lambda: the pending version is staged
        }
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);

        // WHEN each example event is invoked as it is
        for (String step : new String[] {"create-secret", "set-secret", "test-secret", "finish-secret", "sweep"}) {
            JarRun.Result run = JarRun.cli(dir, env, "invoke", "--event", EXAMPLES.resolve("events/" + step + ".json").toString());
            assertThat(run.exit()).as(step + ": " + run.stderr()).isZero();
            assertThat(run.stdout()).startsWith("ok  ").doesNotContain("null");
        }

        // THEN the example secret was rotated
        assertThat(client.describeSecret(b -> b.secretId(NAME)).versionIdsToStages().get(TOKEN)).containsExactly("AWSCURRENT");
        assertThat(client.getSecretValue(b -> b.secretId(NAME).versionStage("AWSCURRENT")).secretString())
                .contains("\"username\":\"app_user\"").doesNotContain("change-me-example-only");
    }

    private static String readExample(String file) throws java.io.IOException {
        return Files.readString(EXAMPLES.resolve(file));
    }
}
