package dev.secretrotator.cli;

import dev.secretrotator.handler.Components;
import dev.secretrotator.ops.RotationDriver;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code throughput N} (benchmark, not listed in the usage): creates N {@code random-password}
 * secrets on the configured endpoint (an emulator), then rotates each once in this warm process
 * and prints rotations per minute, for the first and the second half separately (how the cost
 * grows with the number of secrets).
 */
@Command(name = "throughput", hidden = true, description = "Benchmark: create N random-password secrets on an emulator and rotate each once.")
final class ThroughputCommand extends BaseCommand {
    @Parameters(paramLabel = "N", description = "how many secrets (1 to 99999)")
    int n;

    @Override
    public Integer call() {
        if (n < 1 || n > 99_999) {
            throw new UsageException("throughput takes the number of secrets, 1 to 99999, e.g. throughput 100");
        }
        PrintStream out = out();
        Components components = components();
        SecretsManagerClient client = components.services().client(SecretsManagerClient.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "throughput/" + run + "/" + i;
            arns.add(client.createSecret(b -> b.name(name)
                    .secretString("{\"provider\":\"random-password\",\"password\":\"" + UUID.randomUUID() + "\"}")).arn());
            LocalMoto.enableRotation(client, arns.get(i));
        }
        RotationDriver driver = new RotationDriver(client, components.engine()::execute, Duration.ofMinutes(1));
        long start = System.nanoTime();
        long half = 0;
        for (int i = 0; i < n; i++) {
            driver.rotate(arns.get(i), RotationDriver.Listener.SILENT);
            if (i == n / 2 - 1) {
                half = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        out.printf("throughput %d secrets: %.0f rotations/min overall (first half %.0f/min, second half %.0f/min), %.1f ms per rotation%n",
                n, perMinute(n, end - start), perMinute(n / 2, half - start), perMinute(n - n / 2, end - half),
                (end - start) / 1e6 / n);
        return 0;
    }

    private static double perMinute(int count, long nanos) {
        return nanos <= 0 ? 0 : count * 60e9 / nanos;
    }
}
