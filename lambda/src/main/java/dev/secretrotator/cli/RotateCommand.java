package dev.secretrotator.cli;

import dev.secretrotator.engine.AllowList;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.Step;
import dev.secretrotator.handler.RotationHandler;
import dev.secretrotator.ops.RotationDriver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code rotate SECRET_ID}: one whole rotation the way Secrets Manager drives it, each step
 * reported. It runs the secret's configured rotation and never turns rotation on: a secret whose
 * rotation is off is refused before any change, with the command that enables it. A failure says
 * where it stopped, the secret's state now and the command that fixes it;
 * {@code --cleanup-on-failure} puts the secret back as it was found.
 */
@Command(name = "rotate", description = "Rotate a secret now, driving the four steps the way Secrets Manager does."
        + " Rotation must be on for the secret (its configured function and schedule); rotate never turns it on.")
final class RotateCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", description = "the secret's ARN or name")
    String secretId;

    @Option(names = "--cleanup-on-failure", description = "if a step fails, remove the AWSPENDING version and the credential"
            + " it holds (repair --apply): the secret is left as found")
    boolean cleanup;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT5M", converter = DurationConverter.class,
            description = "how long to wait when Secrets Manager runs the rotation itself (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    String subject() {
        return secretId;
    }

    @Override
    public Integer call() {
        SecretsManagerClient client = components().services().client(SecretsManagerClient.class);
        SecretMetadata before = new SecretStore(client).describe(secretId);
        // before RotateSecret: a refused secret must not be left with an AWSPENDING version
        AllowList.require(components().services().config(), before, "rotate");
        Progress progress = new Progress(common.json ? null : out());
        try {
            String version = new RotationDriver(client, new HandlerSteps(new RotationHandler(components())), timeout)
                    .rotate(secretId, progress);
            Map<String, Object> result = progress.result("rotated");
            common.print(out(), result, o -> o.println("rotated " + before.arn() + ": AWSCURRENT is version " + version));
            return 0;
        } catch (RuntimeException e) {
            new RotationFailure(this, before, progress, cleanup).report(e);
            return 1;
        }
    }

    /** Follows the driver: the version, the steps done, the step running when it stopped. */
    static final class Progress implements RotationDriver.Listener {
        private final PrintStream live;
        final List<Map<String, Object>> steps = new ArrayList<>();
        String arn = "";
        String version = "";
        boolean local;

        Progress(PrintStream live) {
            this.live = live;
        }

        @Override
        public void started(String secretArn, String token, boolean inProcess) {
            arn = secretArn;
            version = token;
            local = inProcess;
            if (live != null) {
                live.println(inProcess ? "rotating " + secretArn + " (version " + token + "), steps run in this process"
                        : "Secrets Manager started rotating " + secretArn + " (version " + token
                                + ") with its rotation function; follow it in that function's log");
            }
        }

        @Override
        public void stepDone(Step step, long millis) {
            steps.add(Map.of("step", step.wireName(), "ms", millis));
            if (live != null) {
                live.printf("  %-13s ok  %5d ms%n", step.wireName(), millis);
            }
        }

        /** Where it stopped: starting, a step, or the wait for the service. */
        String stoppedAt() {
            if (version.isEmpty()) {
                return "starting the rotation (RotateSecret)";
            }
            if (!local) {
                return "waiting for Secrets Manager's rotation function";
            }
            return steps.size() < Step.values().length ? "step " + Step.values()[steps.size()].wireName() : "after finishSecret";
        }

        Map<String, Object> result(String outcome) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("secretId", arn);
            r.put("outcome", outcome);
            r.put("version", version);
            r.put("steps", steps);
            return r;
        }
    }
}
