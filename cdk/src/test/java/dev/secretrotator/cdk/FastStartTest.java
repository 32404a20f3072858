package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Architecture;

/** The fast-start option: bin/build-fast-start's zip on provided.al2023, same handler, same permissions. */
class FastStartTest {
    @TempDir
    Path dir;

    @Test
    void fastStart_deploysTheArtifactOnProvidedAl2023WithTheSameHandlerAndNoJavaToolOptions() throws Exception {
        // GIVEN
        Stack stack = TestSupport.stack();
        FastStart fastStart = FastStart.fromArtifact(artifact("x86_64").toString());

        // WHEN
        TestSupport.rotatorWithSecret(stack, TestSupport.props().fastStart(fastStart).build());
        Template template = Template.fromStack(stack);

        // THEN
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "provided.al2023",
                "Handler", SecretRotatorFunction.HANDLER,
                "Architectures", List.of("x86_64"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "JAVA_TOOL_OPTIONS", Match.absent(), "ROTATOR_VERIFY_SUCCESSES", "3"))))));
    }

    @Test
    void fastStart_grantsExactlyWhatTheDefaultDeploymentGrants() throws Exception {
        // GIVEN the same deployment, once as the jar on Java and once as the fast-start artifact
        Stack java = TestSupport.stack();
        Stack fast = TestSupport.stack();
        TestSupport.rotatorWithSecret(java, TestSupport.props().build());

        // WHEN
        TestSupport.rotatorWithSecret(fast, TestSupport.props()
                .fastStart(FastStart.fromArtifact(artifact("x86_64").toString())).build());

        // THEN the permission contract is unaffected: no new AWS call, no new grant
        assertThat(TestSupport.identityStatements(Template.fromStack(fast)))
                .isEqualTo(TestSupport.identityStatements(Template.fromStack(java)));
    }

    @Test
    void fastStart_builtOnArm_deploysOnArm64WhenTheArchitectureSaysSo() throws Exception {
        // GIVEN
        Stack stack = TestSupport.stack();
        FastStart fastStart = FastStart.fromArtifact(artifact("aarch64").toString());

        // WHEN
        TestSupport.rotatorWithSecret(stack, TestSupport.props().fastStart(fastStart).architecture(Architecture.ARM_64).build());

        // THEN
        assertThat(fastStart.architecture().getName()).isEqualTo("arm64");
        Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "provided.al2023", "Architectures", List.of("arm64"))));
    }

    @Test
    void fastStart_whenTheArtifactWasBuiltForAnotherArchitecture_isRefused() throws Exception {
        FastStart arm = FastStart.fromArtifact(artifact("aarch64").toString());

        assertThatThrownBy(() -> new SecretRotatorFunction(TestSupport.stack(), "Rotator", TestSupport.props().fastStart(arm).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("architecture must be the fastStart artifact's, which was built for arm64 (its JVM is native code),"
                        + " got x86_64; set architecture to match or build the artifact on a x86_64 machine");
    }

    @Test
    void fastStart_withSnapStart_isRefused() throws Exception {
        FastStart fastStart = FastStart.fromArtifact(artifact("x86_64").toString());

        assertThatThrownBy(() -> new SecretRotatorFunction(TestSupport.stack(), "Rotator",
                TestSupport.props().fastStart(fastStart).snapStart(true).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapStart must be false with fastStart");
    }

    @Test
    void fromArtifact_whenTheZipIsNotAFastStartArtifact_namesWhatIsMissing() throws Exception {
        Path plain = dir.resolve("plain.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plain))) {
            zip.putNextEntry(new ZipEntry("bootstrap"));
        }

        assertThatThrownBy(() -> FastStart.fromArtifact(plain.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no fast-start.properties");
        assertThatThrownBy(() -> FastStart.fromArtifact(dir.resolve("missing.zip").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bin/build-fast-start");
    }

    /** A stand-in for bin/build-fast-start's zip: what the CDK reads of it is fast-start.properties. */
    private Path artifact(String arch) throws Exception {
        Path zipPath = dir.resolve("fast-start-" + arch + ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipPath))) {
            zip.putNextEntry(new ZipEntry("bootstrap"));
            zip.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(FastStart.PROPERTIES));
            OutputStream out = zip;
            out.write(("arch=" + arch + "\njava_version=25.0.3+9-LTS\nclasspath=lib/a.jar\njars='a.jar=1'\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return zipPath;
    }
}
