package dev.secretrotator.cli;

import dev.secretrotator.ops.Operations;
import dev.secretrotator.ops.Status;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code status [SECRET_ID...]}: every secret's health, versions and retirements. Without ids:
 * every secret whose rotation points at the function, or that the allow-list covers, broken ones
 * included. Exit status 3 when any needs attention (for cron jobs and CI). Read-only.
 */
@Command(name = "status", description = {"Show each secret's health (healthy, stuck, misconfigured, overdue),"
        + " versions, labels, credential states, last/next rotation and retirements. Read-only.",
        "Exits 3 when any secret needs attention."})
final class StatusCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", arity = "0..*", description = "secrets to show (default: every secret the function rotates)")
    List<String> secretIds = List.of();

    @Option(names = "--function", paramLabel = "NAME", description = "the rotation function's name: without SECRET_ID, list the"
            + " secrets whose rotation points at it (default: ROTATOR_FUNCTION_NAME; without it and without"
            + " ROTATOR_ALLOWED_SECRET_ARNS every secret with rotation enabled)")
    String function;

    @Override
    String subject() {
        return secretIds.size() == 1 ? secretIds.get(0) : "";
    }

    @Override
    public Integer call() {
        Operations ops = components().operations();
        List<String> ids = secretIds.isEmpty() ? ops.status().candidates(functionName()) : secretIds;
        List<Status.SecretStatus> all = ids.stream().map(id -> ops.status().of(id, e -> Failures.explain(e, id))).toList();
        common.print(out(), all, o -> table(all, o));
        return all.stream().anyMatch(Status.SecretStatus::needsAttention) ? Main.ATTENTION : 0;
    }

    private Optional<String> functionName() {
        return Optional.ofNullable(function).or(() -> Optional.ofNullable(cli().env().get("ROTATOR_FUNCTION_NAME")))
                .filter(f -> !f.isBlank());
    }

    static void table(List<Status.SecretStatus> all, PrintStream out) {
        if (all.isEmpty()) {
            out.println("no secret found: none has rotation enabled for this function (name secrets, or see --function)");
            return;
        }
        out.printf("%-14s %-16s %-22s %s%n", "HEALTH", "PROVIDER", "NEXT ROTATION", "SECRET");
        for (Status.SecretStatus s : all) {
            out.printf("%-14s %-16s %-22s %s%n", s.health().toUpperCase(java.util.Locale.ROOT), dash(s.provider()),
                    dash(s.nextRotation()), s.secretId());
        }
        for (Status.SecretStatus s : all) {
            details(s, out);
        }
        long attention = all.stream().filter(Status.SecretStatus::needsAttention).count();
        out.println();
        out.println(attention == 0 ? all.size() + " secret(s), all healthy"
                : all.size() + " secret(s), " + attention + " need(s) attention");
    }

    private static void details(Status.SecretStatus s, PrintStream out) {
        out.println();
        out.println(s.secretId() + "  [" + s.health() + "]");
        if (!s.reason().isEmpty()) {
            out.println("  " + s.reason());
        }
        if (s.versions().isEmpty()) {
            return;
        }
        out.printf("  provider %s | rotation %s | last %s | next %s%n", s.provider(),
                s.rotationEnabled() ? "enabled" : "DISABLED", dash(s.lastRotated()), dash(s.nextRotation()));
        out.printf("  %-38s %-28s %-24s %s%n", "VERSION", "LABELS", "CREDENTIAL", "STATE");
        s.versions().forEach(v -> out.printf("  %-38s %-28s %-24s %s%n", v.versionId(), String.join(",", v.stages()),
                v.credentialId(), v.state().isEmpty() ? "-" : Render.pairs(v.state())));
        s.retirements().forEach(r -> out.println("  retirement: " + r));
    }

    static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
