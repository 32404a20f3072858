package dev.secretrotator.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rollback SECRET_ID --yes}: put AWSCURRENT back on AWSPREVIOUS, if its credential can be restored. */
@Command(name = "rollback", description = {"Put AWSCURRENT back on the AWSPREVIOUS version, after restoring and verifying its credential."
        + " Refuses, changing nothing, when it cannot be restored. Asks first; --yes for scripts."})
final class RollbackCommand extends BaseCommand {
    @Parameters(paramLabel = "SECRET_ID", description = "the secret's ARN or name")
    String secretId;

    @Option(names = {"-y", "--yes"}, description = "do it without asking (needed when stdin is not a terminal)")
    boolean yes;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "only if the current version took over within this ISO-8601 duration (e.g. PT2H)")
    Duration window;

    @Option(names = "--force", description = "roll back even to a credential an emergency rotation revoked:"
            + " that restores a credential that leaked (logged as such)")
    boolean force;

    @Override
    String subject() {
        return secretId;
    }

    @Override
    public Integer call() {
        int stop = confirm(yes, "ROLLBACK of " + secretId + ": restores and verifies the AWSPREVIOUS credential, then moves"
                + " AWSCURRENT back to it; applications pick up the previous value on their next read."
                + (force ? " FORCED: even if an emergency rotation revoked that credential, which restores a credential"
                + " that leaked." : ""));
        if (stop >= 0) {
            return stop;
        }
        String version = components().operations().rollback().run(secretId, Optional.ofNullable(window), force);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("secretId", secretId);
        result.put("currentVersion", version);
        common.print(out(), result, o -> o.println("rolled back " + secretId + ": AWSCURRENT is version " + version + " again (verified)"));
        return 0;
    }
}
