package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar secret-rotator.jar invoke --event FILE} with only the standard AWS environment. */
@ExtendWith({Moto.class, LeakCheck.class})
class InvokeJarIT {
    static final Path JAR = Path.of(System.getProperty("rotator.jar", "target/secret-rotator.jar"));

    @TempDir
    Path dir;
    MotoServer moto;
    TestRotator rotator;

    @BeforeEach
    void setUp(MotoServer moto) {
        this.moto = moto;
        this.rotator = new TestRotator(moto);
    }

    @Test
    void invoke_ofCreateSecret_storesThePendingValue_andExitsZero() throws Exception {
        // GIVEN a started rotation and the event Secrets Manager would send
        String arn = rotator.createSecret("jar/db", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);
        String rotationToken = UUID.randomUUID().toString();
        LeakCheck.sensitive(rotationToken);
        Path event = write(EventFixtures.rotation("createSecret", arn, token, rotationToken));

        // WHEN the jar runs it
        Run run = invoke(event);

        // THEN it succeeded and the pending version holds a new password
        assertThat(run.exit).as(run.stderr).isZero();
        String pending = rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING")).secretString();
        assertThat(pending).contains("\"provider\":\"random-password\"").doesNotContain("initial-password");
        assertThat(run.stdout).contains("\"message\":\"step succeeded\"");
    }

    @Test
    void invoke_ofABadEvent_exitsNonZero_withTheErrorOnStderr() throws Exception {
        // GIVEN an event for a version that does not exist
        String arn = rotator.createSecret("jar/bad", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        rotator.driver.startRotation(arn);
        String unknown = UUID.randomUUID().toString();
        Path event = write(EventFixtures.rotation("setSecret", arn, unknown, null));

        // WHEN the jar runs it
        Run run = invoke(event);

        // THEN a non-zero exit and a clear error naming the secret, step and version
        assertThat(run.exit).isNotZero();
        assertThat(run.stderr).contains("error: secret " + arn + ", step setSecret, version " + unknown)
                .contains("not a version of this secret");
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".json");
        Files.writeString(file, json);
        return file;
    }

    private Run invoke(Path event) throws Exception {
        assertThat(JAR).as("the shaded jar (run mvn package first)").exists();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "invoke", "--event", event.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ROTATOR_"));
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the jar finished within 60 s").isTrue();
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        System.out.print(run.stdout); // through LeakCheck's capture
        System.err.print(run.stderr);
        return run;
    }

    record Run(int exit, String stdout, String stderr) {}
}
