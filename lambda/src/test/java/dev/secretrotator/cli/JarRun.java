package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar (or a class from it) in a fresh JVM with only the environment given. */
final class JarRun {
    static final Path JAR = Path.of(System.getProperty("rotator.jar", "target/secret-rotator.jar"));

    record Result(int exit, String stdout, String stderr) {}

    private JarRun() {}

    /** {@code java -jar secret-rotator.jar args...}. */
    static Result cli(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(dir, env, command);
    }

    static Result run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        assertThat(JAR).as("the shaded jar (run mvn package first)").exists();
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ROTATOR_"));
        // no ~/.aws profile and no instance metadata: the run sees only what the test gives
        environment.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        environment.putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the jar finished within 90 s").isTrue();
        Result run = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        System.out.print(run.stdout()); // through LeakCheck's capture
        System.err.print(run.stderr());
        return run;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
