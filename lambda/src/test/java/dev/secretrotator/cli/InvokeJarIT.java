package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar secret-rotator.jar invoke --event FILE} with only the standard AWS environment. */
@ExtendWith({Moto.class, LeakCheck.class})
class InvokeJarIT {
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
    void invoke_ofCreateSecret_storesThePendingValue_andSaysSo_withoutNullOrLogsOnStdout() throws Exception {
        // GIVEN a started rotation and the event Secrets Manager would send
        String arn = rotator.createSecret("jar/db", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);
        String rotationToken = UUID.randomUUID().toString();
        LeakCheck.sensitive(rotationToken);
        Path event = write(EventFixtures.rotation("createSecret", arn, token, rotationToken));

        // WHEN the jar runs it
        JarRun.Result run = JarRun.cli(dir, env(), "invoke", "--event", event.toString());

        // THEN it succeeded, the pending version holds a new password, and stdout is the result only
        assertThat(run.exit()).as(run.stderr()).isZero();
        String pending = rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING")).secretString();
        assertThat(pending).contains("\"provider\":\"random-password\"").doesNotContain("initial-password");
        assertThat(run.stdout()).isEqualTo("ok  createSecret of " + arn + " (version " + token + ") done\n");
    }

    @Test
    void invoke_withLogLevelInfo_logsTheStepOnStderr() throws Exception {
        String arn = rotator.createSecret("jar/log", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);
        Path event = write(EventFixtures.rotation("createSecret", arn, token, null));

        JarRun.Result run = JarRun.cli(dir, env(), "invoke", "--event", event.toString(), "--log-level", "info", "--json");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("\"message\":\"step succeeded\"");
        assertThat(run.stdout()).contains("\"ok\" : true").contains("\"step\" : \"createSecret\"").doesNotContain("\"level\"");
    }

    @Test
    void invoke_ofABadEvent_exitsNonZero_withTheErrorOnStderr() throws Exception {
        // GIVEN an event for a version that does not exist
        String arn = rotator.createSecret("jar/bad", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        rotator.driver.startRotation(arn);
        String unknown = UUID.randomUUID().toString();
        Path event = write(EventFixtures.rotation("setSecret", arn, unknown, null));

        // WHEN the jar runs it
        JarRun.Result run = JarRun.cli(dir, env(), "invoke", "--event", event.toString());

        // THEN a non-zero exit and a clear error naming the secret, step and version
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("error: secret " + arn + ", step setSecret, version " + unknown)
                .contains("not a version of this secret");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void withoutARegion_theMessageNamesAwsRegion() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(env());
        env.remove("AWS_REGION");

        JarRun.Result run = JarRun.cli(dir, env, "status", "prod/db");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("error: secret prod/db: no AWS region is set: set AWS_REGION").doesNotContain("DefaultAwsRegionProviderChain");
    }

    @Test
    void withAnUnreachableEndpoint_theMessageNamesItAndAwsEndpointUrl_andTheSecret() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9"); // discard port: nothing listens

        JarRun.Result run = JarRun.cli(dir, env, "rotate", "prod/db");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("prod/db").contains("cannot reach http://127.0.0.1:9 (from AWS_ENDPOINT_URL)")
                .contains("connection refused").doesNotContain("function's permissions");
    }

    @Test
    void emergency_helpInTheJar_printsHelp_andBogusExits2() throws Exception {
        JarRun.Result help = JarRun.cli(dir, env(), "emergency", "--help");
        JarRun.Result bogus = JarRun.cli(dir, env(), "emergency", "prod/db", "--bogus");
        JarRun.Result unconfirmed = JarRun.cli(dir, env(), "emergency", "prod/db");

        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).contains("Usage: secret-rotator emergency");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.stderr()).contains("Unknown option: '--bogus'");
        assertThat(unconfirmed.exit()).isEqualTo(2);
        assertThat(unconfirmed.stderr()).contains("add --yes");
    }

    private Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".json");
        Files.writeString(file, json);
        return file;
    }
}
