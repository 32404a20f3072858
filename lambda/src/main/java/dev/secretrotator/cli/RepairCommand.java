package dev.secretrotator.cli;

import dev.secretrotator.ops.Repair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code repair SECRET_ID [--apply --yes]}: diagnose, and clean up, a rotation stuck with AWSPENDING. */
@Command(name = "repair", description = {"Diagnose a rotation stuck with AWSPENDING (read-only); with --apply, remove the label and the"
        + " credential only that version holds. --apply asks first; --yes for scripts.",
        "Exits 3 when the secret is stuck and was not repaired."})
final class RepairCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", description = "the secret's ARN or name")
    String secretId;

    @Option(names = "--apply", description = "clean up what was found (otherwise only diagnose)")
    boolean apply;

    @Option(names = {"-y", "--yes"}, description = "with --apply: do it without asking (needed when stdin is not a terminal)")
    boolean yes;

    @Override
    String subject() {
        return secretId;
    }

    @Override
    public Integer call() {
        Repair repair = components().operations().repair();
        if (apply) {
            Repair.Diagnosis found = repair.run(secretId, false);
            if (!found.stuck()) {
                return report(found);
            }
            int stop = confirm(yes, "REPAIR of " + secretId + ": removes AWSPENDING from version " + found.versionId()
                    + " and lets the provider discard the credential only that version holds.");
            if (stop >= 0) {
                return stop;
            }
        }
        return report(repair.run(secretId, apply));
    }

    private int report(Repair.Diagnosis d) {
        common.print(out(), d, o -> {
            o.println((d.stuck() ? (d.repaired() ? "REPAIRED  " : "STUCK     ") : "OK        ") + secretId);
            o.println("  " + d.explanation());
        });
        return d.stuck() && !d.repaired() ? Main.ATTENTION : 0;
    }
}
