package dev.secretrotator.cli;

import dev.secretrotator.engine.Step;
import dev.secretrotator.ops.RotationDriver;
import dev.secretrotator.handler.Components;
import dev.secretrotator.handler.RotationHandler;
import java.io.PrintStream;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code rotate SECRET_ID}: one whole rotation, each step printed. */
final class RotateCommand {
    private RotateCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            throw new Main.UsageException("rotate takes one SECRET_ID");
        }
        Components components = Components.fromEnvironment();
        SecretsManagerClient client = components.services().client(SecretsManagerClient.class);
        new RotationDriver(client, new HandlerSteps(new RotationHandler(components)), java.time.Duration.ofMinutes(5)).rotate(args[0], new RotationDriver.Listener() {
            @Override
            public void started(String arn, String token, boolean local) {
                err.println(local
                        ? "rotating " + arn + " (version " + token + "), steps run in this process"
                        : "Secrets Manager started rotating " + arn + " (version " + token
                                + ") with its rotation function; follow it in that function's log");
            }

            @Override
            public void stepDone(Step step, long millis) {
                err.println("  " + step.wireName() + " ok (" + millis + " ms)");
            }
        });
        return 0;
    }
}
