package dev.secretrotator.cli;

import dev.secretrotator.ops.Operations;
import dev.secretrotator.ops.Status;
import dev.secretrotator.ops.Sweep;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sweep [SECRET_ID...]}: the retirement sweep, a line per secret saying what it did. Without
 * ids it sweeps every secret it can and lists the ones it skipped, and why (a value no provider
 * can read, a stuck rotation).
 */
@Command(name = "sweep", description = "Advance the retirement of previous credentials (grace, in-use check, deactivate, delete).")
final class SweepCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", arity = "0..*", description = "secrets to sweep (default: every secret the function rotates)")
    List<String> secretIds = List.of();

    @Override
    String subject() {
        return secretIds.size() == 1 ? secretIds.get(0) : "";
    }

    @Override
    public Integer call() {
        Operations ops = components().operations();
        List<String> ids = secretIds;
        List<Sweep.Line> lines = new ArrayList<>();
        if (ids.isEmpty()) {
            ids = ops.sweep().managedSecrets();
            for (String candidate : ops.status().candidates(Optional.ofNullable(cli().env().get("ROTATOR_FUNCTION_NAME")))) {
                if (!ids.contains(candidate)) {
                    Status.SecretStatus s = ops.status().of(candidate);
                    lines.add(new Sweep.Line(candidate, s.provider(), "SKIPPED", "",
                            s.reason().isEmpty() ? "its value names no provider this function knows" : s.reason()));
                }
            }
        }
        lines.addAll(0, ops.sweep().run(ids, false));
        common.print(out(), lines, o -> table(lines, o));
        return lines.stream().anyMatch(l -> l.action().equals("FAILED")) ? 1 : 0;
    }

    private static void table(List<Sweep.Line> lines, PrintStream out) {
        if (lines.isEmpty()) {
            out.println("no secret to sweep: none has rotation enabled with a known provider");
            return;
        }
        out.printf("%-13s %-16s %-22s %s%n", "ACTION", "PROVIDER", "CREDENTIAL", "SECRET");
        lines.forEach(l -> {
            out.printf("%-13s %-16s %-22s %s%n", l.action(), StatusCommand.dash(l.provider()),
                    StatusCommand.dash(l.credentialId()), l.secretId());
            out.println("              " + l.detail());
        });
    }
}
