package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/**
 * cfn-lint on templates/*.yaml and on the templates the app synthesizes. Errors and warnings fail;
 * on synthesized templates W3005 is ignored: CDK itself writes a DependsOn on the role next to the
 * function's GetAtt of it (redundant, harmless, not ours to change).
 */
class CfnLintTest {

    private static Path outdir;

    @BeforeAll
    static void synth() throws IOException {
        // GIVEN the sample stack and the every-option stack written to a cloud assembly
        outdir = Path.of(System.getProperty("cdk.test.outdir", "target/cdk-test-out")).resolve("cfn-lint");
        Files.createDirectories(outdir);
        App app = App.Builder.create().outdir(outdir.toString()).build();
        TestStacks.sample(app);
        TestStacks.everyOption(app);
        app.synth();
    }

    private static String lint(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("cfn-lint"));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cfn-lint must be on PATH (pip install cfn-lint), got: " + e.getMessage(), e);
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("cfn-lint exit code; output:%n%s", output).isZero();
        return output;
    }

    private static List<String> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).map(Path::toString).sorted().toList();
        }
    }

    @Test
    void handwrittenTemplates_passCfnLint() throws Exception {
        List<String> templates = files(TestSupport.repoDir().resolve("templates"), ".yaml");
        assertThat(templates).hasSizeGreaterThanOrEqualTo(2);

        lint(templates);
    }

    @Test
    void synthesizedTemplates_passCfnLint() throws Exception {
        List<String> templates = files(outdir, ".template.json");
        assertThat(templates).hasSize(2);

        List<String> args = new ArrayList<>(List.of("--ignore-checks", "W3005", "--"));
        args.addAll(templates);
        lint(args);
    }
}
