package dev.secretrotator.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code emergency SECRET_ID --yes}: rotate now and revoke the previous credential at once. */
@Command(name = "emergency", description = {"Rotate now and revoke the current credential at once (leaked key, departed staff)."
        + " Anything still using the old credential fails until it reads the new value. Asks first; --yes for scripts."})
final class EmergencyCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", description = "the secret's ARN or name")
    String secretId;

    @Option(names = {"-y", "--yes"}, description = "do it without asking (needed when stdin is not a terminal)")
    boolean yes;

    @Override
    String subject() {
        return secretId;
    }

    @Override
    public Integer call() {
        int stop = confirm(yes, "EMERGENCY rotation of " + secretId + ": revokes the older AWSPREVIOUS credential, rotates now,"
                + " then revokes the credential that was current, skipping grace periods. Applications still using it fail"
                + " until they read the new value.");
        if (stop >= 0) {
            return stop;
        }
        Map<String, Object> result = components().operations().emergency().run(secretId);
        common.print(out(), result, o -> {
            o.println("EMERGENCY rotation of " + secretId + " done: AWSCURRENT is now version " + result.get("versionId"));
            o.printf("  %-10s %-24s %s%n", "REVOKED", "CREDENTIAL", "DETAIL");
            for (Object line : (List<?>) result.get("revoked")) {
                Map<?, ?> r = (Map<?, ?>) line;
                o.printf("  %-10s %-24s %s%n", r.get("action"), StatusCommand.dash(String.valueOf(r.get("credentialId"))), r.get("detail"));
            }
        });
        return 0;
    }
}
