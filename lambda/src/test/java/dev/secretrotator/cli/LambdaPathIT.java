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
 * The Lambda path (handler constructed as Lambda does, one createSecret) loads no CLI class, no
 * picocli class, and without SnapStart no CRaC class.
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
        Path event = dir.resolve("event.json");
        Files.writeString(event, EventFixtures.rotation("createSecret", arn, token, null));
        String classpath = JarRun.JAR + File.pathSeparator + probeOnly();

        // WHEN the handler runs it in a fresh JVM, listing every class it loads
        JarRun.Result run = JarRun.run(dir, Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(), "AWS_REGION", MotoServer.REGION,
                "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY),
                List.of(JarRun.java(), "-verbose:class", "-cp", classpath, HandlerProbe.class.getName(), event.toString()));

        // THEN it worked, through the handler, without the CLI
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("dev.secretrotator.handler.RotationHandler").contains("\"message\":\"step succeeded\"")
                .doesNotContain("dev.secretrotator.cli.").doesNotContain("picocli")
                // SnapStart's hooks are only registered when Lambda initialises for a snapshot
                .doesNotContain("org.crac").doesNotContain("SnapStartPriming");
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
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
