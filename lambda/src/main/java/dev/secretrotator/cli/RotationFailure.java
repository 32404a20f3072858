package dev.secretrotator.cli;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;

import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What a failed {@code rotate} tells the operator: the error, where it stopped, the secret's
 * state now, and the exact command to run next; with {@code --cleanup-on-failure} it first puts
 * the secret back as it was found.
 */
final class RotationFailure {
    private final RotateCommand command;
    private final SecretMetadata before;
    private final RotateCommand.Progress progress;
    private final boolean cleanup;

    RotationFailure(RotateCommand command, SecretMetadata before, RotateCommand.Progress progress, boolean cleanup) {
        this.command = command;
        this.before = before;
        this.progress = progress;
        this.cleanup = cleanup;
    }

    void report(RuntimeException e) {
        String error = Failures.explain(e, command.secretId);
        String cleaned = cleanup ? cleanUp() : "";
        String state;
        String next;
        try {
            SecretMetadata now = new SecretStore(client()).describe(command.secretId);
            state = state(now);
            next = next(now);
        } catch (RuntimeException unreadable) {
            state = "unknown (could not read it: " + Failures.explain(unreadable, command.secretId) + ")";
            next = "java -jar secret-rotator.jar status " + command.secretId;
        }
        print(error, cleaned, state, next);
    }

    private void print(String error, String cleaned, String state, String next) {
        Map<String, Object> result = progress.result("failed");
        result.put("secretId", before.arn());
        result.put("stoppedAt", progress.stoppedAt());
        result.put("error", error);
        if (cleanup) {
            result.put("cleanup", cleaned);
        }
        result.put("state", state);
        result.put("next", next.replaceAll("\n\\s+", "\n"));
        if (command.common.json) {
            command.out().println(Common.json(result));
        }
        var err = command.err();
        err.println("error: " + error);
        err.println("  stopped at: " + progress.stoppedAt());
        if (cleanup) {
            err.println("  cleanup:    " + cleaned);
        }
        err.println("  state now:  " + state);
        err.println("  next:       " + next);
    }

    private String cleanUp() {
        try {
            var repair = command.components().operations().repair().run(command.secretId, true);
            String done = repair.stuck() ? "removed AWSPENDING from version " + repair.versionId()
                    + " and discarded the credential only it held" : "no AWSPENDING was left";
            return done;
        } catch (RuntimeException e) {
            return "FAILED: " + Failures.explain(e, command.secretId);
        }
    }

    private static String state(SecretMetadata now) {
        Optional<String> current = now.versionWith(CURRENT);
        Optional<String> pending = now.versionWith(PENDING).filter(v -> !current.equals(Optional.of(v)));
        return "AWSCURRENT on version " + current.orElse("(none)")
                + pending.map(v -> ", AWSPENDING left on version " + v + " (Secrets Manager refuses new rotations until it goes)")
                        .orElse(", no AWSPENDING left")
                + ", rotation " + (now.rotationEnabled() ? "enabled" : "disabled");
    }

    private String next(SecretMetadata now) {
        String id = command.secretId;
        Optional<String> current = now.versionWith(CURRENT);
        boolean stuck = now.versionWith(PENDING).filter(v -> !current.equals(Optional.of(v))).isPresent();
        if (!stuck && (!now.rotationEnabled() || now.rotationLambdaArn().isEmpty())) {
            return "turn rotation on for the secret (the deployment's rotation schedule, or the rotate-secret command"
                    + " above), then rotate again:\n"
                    + "                java -jar secret-rotator.jar rotate " + id;
        }
        return stuck
                ? "fix the cause above, then clear the stuck version and rotate again:\n"
                        + "                java -jar secret-rotator.jar repair " + id + " --apply --yes\n"
                        + "                java -jar secret-rotator.jar rotate " + id
                : "fix the cause above, then rotate again:\n"
                        + "                java -jar secret-rotator.jar rotate " + id;
    }

    private SecretsManagerClient client() {
        return command.components().services().client(SecretsManagerClient.class);
    }
}
