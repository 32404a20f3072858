package dev.secretrotator.faststart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast-start artifact end to end (docs/deployment.md, "Fast start"): bin/build-fast-start's zip, unpacked
 * into a fresh directory (not the one its AOT cache was trained in), runs createSecret through its bootstrap,
 * the runtime interface client and the Runtime API test server against moto, and the JVM's own class-load
 * log shows the classes came from the AOT cache. Needs a JDK 25 (skipped only when there is none).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class FastStartArtifactIT {
    private static Path zip;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildOnce(@TempDir Path buildDir) throws Exception {
        Optional<Path> jdk = FastStartArtifact.jdk25();
        assumeTrue(jdk.isPresent(), "no JDK 25 (set JAVA25_HOME): the fast-start artifact cannot be built here");
        zip = FastStartArtifact.build(jdk.get(), buildDir.resolve("build.log"));
    }

    @Test
    void createSecret_throughTheUnpackedArtifact_loadsTheHandlerFromTheAotCache(MotoServer moto) throws Exception {
        // GIVEN the artifact unpacked somewhere else than where it was trained, and a started rotation
        Path taskRoot = FastStartArtifact.unpack(zip, Files.createDirectories(dir.resolve("var/task")));
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("fast-start/db", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);

        // WHEN the custom runtime gets the createSecret event
        BootstrapRun.Outcome run;
        try (BootstrapRun bootstrap = new BootstrapRun(taskRoot, Files.createDirectories(dir.resolve("logs")), moto)) {
            run = bootstrap.invoke(EventFixtures.rotation("createSecret", arn, token, null));
        }

        // THEN it answered, stored the pending version, and the JVM took the classes from the cache
        assertThat(run.result().isResponse()).as("result %s; stderr:%n%s", run.result(), run.stderr()).isTrue();
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
        assertThat(run.stderr()).as("no complaint about the cache").doesNotContain("[aot]").doesNotContain("fast-start:");
        assertThat(run.loadedFromCache("dev.secretrotator.handler.RotationHandler")).as("RotationHandler from the cache").isTrue();
        assertThat(run.loadedFromCache("com.amazonaws.services.lambda.runtime.api.client.AWSLambda")).isTrue();
        assertThat(run.classesFromCache()).as("classes from the cache, of %s in %s", run.classLoad().lines().count(),
                FastStartArtifact.listing(taskRoot)).isGreaterThan(3000);
    }

    @Test
    void createSecret_withATamperedCache_isReportedAndRunsWithoutIt(MotoServer moto) throws Exception {
        // GIVEN the artifact with its cache cut short (negative control: the cache assertions above can fail)
        Path taskRoot = FastStartArtifact.unpack(zip, Files.createDirectories(dir.resolve("task")));
        byte[] head = new byte[1 << 20];
        try (var in = Files.newInputStream(taskRoot.resolve("app.aot"))) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        Files.write(taskRoot.resolve("app.aot"), head, StandardOpenOption.TRUNCATE_EXISTING);
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("fast-start/tampered", "{\"provider\":\"random-password\",\"password\":\"initial-password\"}");
        String token = rotator.driver.startRotation(arn);

        // WHEN
        BootstrapRun.Outcome run;
        try (BootstrapRun bootstrap = new BootstrapRun(taskRoot, Files.createDirectories(dir.resolve("logs")), moto)) {
            run = bootstrap.invoke(EventFixtures.rotation("createSecret", arn, token, null));
        }

        // THEN the JVM says so on stderr, loads nothing from the cache, and the function still works
        assertThat(run.stderr()).contains("[aot]").contains("AOT cache");
        assertThat(run.loadedFromCache("dev.secretrotator.handler.RotationHandler")).isFalse();
        assertThat(run.classesFromCache()).isZero();
        assertThat(run.result().isResponse()).as("result %s", run.result()).isTrue();
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
    }

    @Test
    void bootstrap_whenAJarDiffersFromTraining_startsWithoutTheCacheAndSaysWhy(MotoServer moto) throws Exception {
        // GIVEN the function's jar replaced after the build (JDK 25 itself does not notice: JDK-8377932)
        Path taskRoot = FastStartArtifact.unpack(zip, Files.createDirectories(dir.resolve("task")));
        Files.writeString(dir.resolve("extra.txt"), "not trained");
        Process zip = new ProcessBuilder("zip", "-q", "-j", taskRoot.resolve("lib/secret-rotator.jar").toString(),
                dir.resolve("extra.txt").toString()).inheritIO().start();
        assertThat(zip.waitFor()).isZero();

        // WHEN the runtime starts
        BootstrapRun.Outcome run;
        try (BootstrapRun bootstrap = new BootstrapRun(taskRoot, Files.createDirectories(dir.resolve("logs")), moto)) {
            run = bootstrap.invoke("{\"Step\":\"createSecret\"}");
        }

        // THEN the bootstrap names the jar and the JVM runs without the cache
        assertThat(run.stderr()).contains("fast-start: lib/ differs from the build that trained app.aot (secret-rotator.jar)");
        assertThat(run.classesFromCache()).isZero();
    }

    @Test
    void bootstrap_onAnotherArchitecture_refusesToStartAndSaysWhich(MotoServer moto) throws Exception {
        // GIVEN an artifact that says it was built for another machine
        Path taskRoot = FastStartArtifact.unpack(zip, Files.createDirectories(dir.resolve("task")));
        Path properties = taskRoot.resolve("fast-start.properties");
        Files.writeString(properties, Files.readString(properties).replaceFirst("(?m)^arch=.*$", "arch=riscv64"));

        // WHEN
        Map.Entry<Integer, String> exit;
        try (BootstrapRun bootstrap = new BootstrapRun(taskRoot, Files.createDirectories(dir.resolve("logs")), moto)) {
            exit = bootstrap.awaitExit();
        }

        // THEN
        assertThat(exit.getKey()).isEqualTo(1);
        assertThat(exit.getValue()).contains("fast-start: this artifact was built for riscv64 and cannot run on");
    }
}
