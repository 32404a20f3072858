package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.HandlerProbe;
import dev.secretrotator.TestRotator;
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
 * The Lambda path (handler constructed as Lambda does, one createSecret) loads no CLI class, no picocli
 * class, none of the SDK's service metadata, and without SnapStart no CRaC class.
 */
@ExtendWith(Moto.class)
class LambdaPathIT {
    @TempDir
    Path dir;

    @Test
    void coldCreateSecret_inAFreshJvm_loadsNoCliAndNoPicocliClass(MotoServer moto) throws Exception {
        // GIVEN a started rotation and its createSecret event
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("lambda-path/db", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);

        // WHEN the handler runs it in a fresh JVM, listing every class it loads
        JarRun.Result run = coldCreateSecret(moto, arn, token);

        // THEN it worked, through the handler, without the CLI
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("dev.secretrotator.handler.RotationHandler").contains("\"message\":\"step succeeded\"")
                .doesNotContain("dev.secretrotator.cli.").doesNotContain("picocli")
                // SnapStart's hooks are only registered when Lambda initialises for a snapshot
                .doesNotContain("org.crac").doesNotContain("SnapStartPriming");
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
    }

    /**
     * Issue 15: SDK 2.57.8 no longer builds the metadata of ~300 services on the cold path
     * (aws-sdk-java-v2 #3664), which is why the project's shadowing GeneratedServiceMetadataProvider
     * was deleted. Should an SDK update bring that initializer back onto the path, this fails.
     */
    @Test
    void coldCreateSecret_inAFreshJvm_loadsNoServiceMetadataOfTheSdk(MotoServer moto) throws Exception {
        // GIVEN a started rotation
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("lambda-path/metadata", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);

        // WHEN the handler runs its createSecret in a fresh JVM
        JarRun.Result run = coldCreateSecret(moto, arn, token);

        // THEN neither the service metadata table nor any service's metadata class was loaded
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("\"message\":\"step succeeded\"")
                .doesNotContain("software.amazon.awssdk.regions.GeneratedServiceMetadataProvider")
                .doesNotContain("software.amazon.awssdk.regions.servicemetadata.");
    }

    private JarRun.Result coldCreateSecret(MotoServer moto, String arn, String token) throws Exception {
        Path event = dir.resolve("event.json");
        Files.writeString(event, EventFixtures.rotation("createSecret", arn, token, null));
        String classpath = JarRun.JAR + File.pathSeparator + probeOnly();
        return JarRun.run(dir, Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY),
                List.of(JarRun.java(), "-verbose:class", "-cp", classpath, HandlerProbe.class.getName(), event.toString()));
    }

    /**
     * A directory holding only the probe class: the jar plus the probe is what Lambda has. The whole
     * test-classes directory would also bring the tests' global SDK interceptor (ActionLog), whose
     * fixtures are not on this class path.
     */
    private Path probeOnly() throws Exception {
        String relative = HandlerProbe.class.getName().replace('.', '/') + ".class";
        Path source = Path.of(HandlerProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(relative);
        Path probe = dir.resolve("probe");
        Files.createDirectories(probe.resolve(relative).getParent());
        Files.copy(source, probe.resolve(relative));
        return probe;
    }
}
