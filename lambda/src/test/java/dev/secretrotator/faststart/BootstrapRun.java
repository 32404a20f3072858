package dev.secretrotator.faststart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.lambda.InvocationResult;
import dev.secretrotator.testing.lambda.RuntimeApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task root's {@code bootstrap} as Lambda runs a custom runtime (AWS_LAMBDA_RUNTIME_API, _HANDLER,
 * LAMBDA_TASK_ROOT, the working directory elsewhere), with moto's endpoint and credentials, and with the
 * JVM's class-load log ({@code -Xlog:class+load}) written to a file, through FAST_START_JAVA_OPTIONS.
 */
final class BootstrapRun implements AutoCloseable {
    static final String HANDLER = "dev.secretrotator.handler.RotationHandler::handleRequest";

    record Outcome(InvocationResult result, String stdout, String stderr, String classLoad) {
        /** Whether the JVM loaded this class from the AOT cache (its own log line says so). */
        boolean loadedFromCache(String className) {
            return classLoad.lines().anyMatch(l -> l.contains(" " + className + " source: shared objects file"));
        }

        long classesFromCache() {
            return classLoad.lines().filter(l -> l.contains("source: shared objects file")).count();
        }
    }

    private final RuntimeApiServer api = RuntimeApiServer.start();
    private final Path logs;
    private final Process process;
    private boolean closed;

    BootstrapRun(Path taskRoot, Path logs, MotoServer moto) throws Exception {
        this.logs = logs;
        ProcessBuilder pb = new ProcessBuilder(taskRoot.resolve("bootstrap").toString()).directory(logs.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ROTATOR_") || k.contains("JAVA_TOOL_OPTIONS")
                || k.startsWith("FAST_START_"));
        env.putAll(Map.of("AWS_LAMBDA_RUNTIME_API", api.address(), "_HANDLER", HANDLER,
                "LAMBDA_TASK_ROOT", taskRoot.toString(), "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY, "AWS_EC2_METADATA_DISABLED", "true",
                "FAST_START_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + logs.resolve("class-load.log")));
        env.put("AWS_CONFIG_FILE", logs.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", logs.resolve("no-aws-credentials").toString());
        this.process = pb.redirectOutput(logs.resolve("stdout.txt").toFile()).redirectError(logs.resolve("stderr.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    /** Delivers one event, waits for the runtime's result, then stops the runtime (SIGTERM, as Lambda does). */
    Outcome invoke(String event) throws Exception {
        String requestId = api.enqueue(event);
        InvocationResult result;
        try {
            result = api.await(requestId, Duration.ofSeconds(90));
        } finally {
            close();
        }
        return new Outcome(result, read("stdout.txt"), read("stderr.txt"), read("class-load.log"));
    }

    /** Waits for the bootstrap to exit on its own (it refused to start); returns its exit status and stderr. */
    Map.Entry<Integer, String> awaitExit() throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the bootstrap exited").isTrue();
        close();
        return Map.entry(process.exitValue(), read("stderr.txt"));
    }

    private String read(String name) throws Exception {
        Path file = logs.resolve(name);
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!name.equals("class-load.log")) {
            // through LeakCheck's capture: the runtime's output must not carry a credential either
            (name.equals("stdout.txt") ? System.out : System.err).print(text);
        }
        return text;
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        api.close();
    }
}
