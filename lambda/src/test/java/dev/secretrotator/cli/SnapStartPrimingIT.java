package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.handler.SnapStartProbe;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4, from the shaded jar as Lambda runs it: with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}
 * the handler registers its hooks; the checkpoint hook loads the steps' classes (listed from the jar)
 * without calling AWS; after the restore hook a rotation step works.
 */
@ExtendWith(Moto.class)
class SnapStartPrimingIT {
    @TempDir
    Path dir;

    @Test
    void snapStartInit_primesBeforeTheCheckpoint_andTheFirstStepAfterTheRestoreWorks(MotoServer moto) throws Exception {
        // GIVEN a started rotation and its createSecret event
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("snapstart/db", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);
        Path event = dir.resolve("event.json");
        Files.writeString(event, EventFixtures.rotation("createSecret", arn, token, null));

        // WHEN a fresh JVM initialises for a snapshot, checkpoints, restores and runs the event
        JarRun.Result run = JarRun.run(dir, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start",
                        "AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
                        "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY),
                List.of(JarRun.java(), "-verbose:class", "-cp", JarRun.JAR + File.pathSeparator + probeOnly(),
                        SnapStartProbe.class.getName(), event.toString()));

        // THEN the steps' classes were loaded before the checkpoint, the CLI's never, and the step succeeded
        assertThat(run.exit()).as(run.stderr()).isZero();
        String out = run.stdout();
        int checkpoint = out.indexOf("probe: CHECKPOINT");
        assertThat(checkpoint).as(out).isPositive();
        String beforeCheckpoint = out.substring(0, checkpoint);
        assertThat(beforeCheckpoint).contains("SnapStart priming done")
                .contains("dev.secretrotator.engine.RotationEngine ", "dev.secretrotator.engine.CreateClaim ",
                        "dev.secretrotator.provider.weaviate.WeaviateClient ", "dev.secretrotator.provider.iam.KeyVerifier ",
                        "software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest ",
                        "software.amazon.awssdk.services.iam.DefaultIamClient ", "software.amazon.awssdk.services.sts.DefaultStsClient ")
                .doesNotContain("dev.secretrotator.cli.").doesNotContain("picocli")
                .as("no AWS call before the checkpoint").doesNotContain("\"message\":\"step");
        assertThat(out.substring(checkpoint)).contains("probe: RESTORED").contains("\"message\":\"step succeeded\"");
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
    }

    /** Only the probe beside the jar (as in {@link LambdaPathIT}): the jar plus the probe is what Lambda has. */
    private Path probeOnly() throws Exception {
        String relative = SnapStartProbe.class.getName().replace('.', '/') + ".class";
        Path source = Path.of(SnapStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(relative);
        Path probe = dir.resolve("probe");
        Files.createDirectories(probe.resolve(relative).getParent());
        Files.copy(source, probe.resolve(relative));
        return probe;
    }
}
