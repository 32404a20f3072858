package dev.secretrotator.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.handler.Components;
import dev.secretrotator.ops.Operations;
import dev.secretrotator.ops.Repair;
import dev.secretrotator.ops.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code emergency}, {@code rollback}, {@code status} and {@code repair}: the unusual days, one command each. */
final class OpsCommands {
    private OpsCommands() {}

    static int emergency(String[] args, PrintStream out) {
        String secretId = one(args, "emergency");
        Map<String, Object> result = operations().emergency().run(secretId);
        out.println("EMERGENCY rotation of " + secretId + " done: new AWSCURRENT version " + result.get("versionId"));
        out.println("revoked: " + result.get("revoked"));
        return 0;
    }

    static int rollback(String[] args, PrintStream out) {
        String secretId = one(args, "rollback");
        String version = operations().rollback().run(secretId);
        out.println("rolled back " + secretId + ": AWSCURRENT is version " + version + " again (verified)");
        return 0;
    }

    static int repair(String[] args, PrintStream out) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean apply = rest.remove("--apply");
        String secretId = one(rest.toArray(String[]::new), "repair");
        Repair.Diagnosis d = operations().repair().run(secretId, apply);
        out.println((d.stuck() ? (d.repaired() ? "REPAIRED  " : "STUCK     ") : "OK        ") + secretId);
        out.println("  " + d.explanation());
        return d.stuck() && !d.repaired() ? 3 : 0;
    }

    static int status(String[] args, PrintStream out) {
        List<String> ids = new ArrayList<>(Arrays.asList(args));
        boolean json = ids.remove("--json");
        Operations ops = operations();
        if (ids.isEmpty()) {
            ids.addAll(ops.sweep().managedSecrets());
        }
        List<Status.SecretStatus> all = ids.stream().map(ops.status()::of).toList();
        if (json) {
            try {
                out.println(JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(all));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            all.forEach(s -> table(s, out));
        }
        return all.stream().anyMatch(s -> !s.error().isEmpty()) ? 1 : 0;
    }

    private static void table(Status.SecretStatus s, PrintStream out) {
        out.println(s.secretId());
        if (!s.error().isEmpty()) {
            out.println("  error: " + s.error());
            return;
        }
        out.printf("  provider %s | rotation %s | last %s (%s) | next %s%n", s.provider(),
                s.rotationEnabled() ? "enabled" : "DISABLED", dash(s.lastRotated()), s.lastOutcome(), dash(s.nextRotation()));
        out.printf("  %-38s %-28s %-24s %s%n", "VERSION", "LABELS", "CREDENTIAL", "STATE");
        s.versions().forEach(v -> out.printf("  %-38s %-28s %-24s %s%n", v.versionId(), v.stages(), v.credentialId(), v.state()));
        s.retirements().forEach(r -> out.println("  retirement: " + r));
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String one(String[] args, String command) {
        if (args.length != 1) {
            throw new Main.UsageException(command + " takes one SECRET_ID");
        }
        return args[0];
    }

    private static Operations operations() {
        return Components.fromEnvironment().operations();
    }
}
