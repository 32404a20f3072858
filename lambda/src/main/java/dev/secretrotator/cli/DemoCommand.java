package dev.secretrotator.cli;

import dev.secretrotator.engine.Step;
import dev.secretrotator.ops.RotationDriver;
import dev.secretrotator.handler.AwsClients;
import dev.secretrotator.handler.Components;
import dev.secretrotator.handler.RotationHandler;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Redactor;
import dev.secretrotator.telemetry.Telemetry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code demo}: creates a sample secret on an emulator and rotates it twice through the real
 * handler, printing a timeline of versions and staging labels. Starts {@code moto_server} when
 * {@code AWS_ENDPOINT_URL} is not set.
 */
@Command(name = "demo", description = {"Create a sample secret on an emulator and rotate it twice through the real handler,"
        + " printing versions and staging labels step by step. Starts moto_server when AWS_ENDPOINT_URL is not set."})
final class DemoCommand extends BaseCommand {
    @Override
    public Integer call() {
        PrintStream out = common.json ? err() : out();
        PrintStream err = err();
        try {
            Path workDir = Files.createTempDirectory("secret-rotator-demo");
            String endpoint = System.getenv("AWS_ENDPOINT_URL");
            if (endpoint != null && !endpoint.isBlank()) {
                return demo(out, workDir);
            }
            Optional<LocalMoto> moto = LocalMoto.start(workDir.resolve("moto.log"));
            if (moto.isEmpty()) {
                err.println(LocalMoto.INSTALL_HINT);
                return 2;
            }
            try (LocalMoto running = moto.get()) {
                out.println("started moto_server at " + running.endpoint() + " (AWS API emulator)");
                useEmulator(running.endpoint());
                return demo(out, workDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Points the SDK at the emulator through its standard system properties. */
    private static void useEmulator(String endpoint) {
        System.setProperty("aws.endpointUrl", endpoint);
        setIfAbsent("AWS_REGION", "aws.region", "us-east-1");
        setIfAbsent("AWS_ACCESS_KEY_ID", "aws.accessKeyId", "demo");
        setIfAbsent("AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey", "demo");
    }

    private static void setIfAbsent(String env, String property, String value) {
        if (System.getenv(env) == null && System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private int demo(PrintStream out, Path workDir) throws IOException {
        Path log = workDir.resolve("function.log");
        PrintStream logStream = new PrintStream(Files.newOutputStream(log), true, "UTF-8");
        Telemetry telemetry = new Telemetry(logStream, Clock.systemUTC(), new Redactor());
        ProviderServices services = AwsClients.register(ProviderServices.builder().telemetry(telemetry),
                "default", telemetry).build();
        Components components = Components.of(services);
        SecretsManagerClient client = services.client(SecretsManagerClient.class);
        Timeline timeline = new Timeline(client, out);
        String arn = timeline.createSample();
        LocalMoto.enableRotation(client, arn);
        RotationDriver rotation = new RotationDriver(client, new HandlerSteps(new RotationHandler(components)), java.time.Duration.ofMinutes(5));
        for (int i = 1; i <= 2; i++) {
            out.printf("%nrotation %d%n", i);
            rotation.rotate(arn, timeline.listener());
        }
        timeline.summary(arn);
        out.println("\nthe function's JSON log (values redacted): " + log);
        logStream.close();
        if (common.json) {
            out().println(Common.json(java.util.Map.of("secretId", arn, "rotations", 2, "functionLog", log.toString())));
        }
        return 0;
    }

    static String stepLabel(Step step) {
        return String.format("%-13s", step.wireName());
    }
}
