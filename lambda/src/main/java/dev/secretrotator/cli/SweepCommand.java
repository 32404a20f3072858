package dev.secretrotator.cli;

import dev.secretrotator.handler.Components;
import dev.secretrotator.ops.Sweep;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code sweep [SECRET_ID...]}: the retirement sweep, with a line per secret saying what it did. */
final class SweepCommand {
    private SweepCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Components components = Components.fromEnvironment();
        Sweep sweep = components.operations().sweep();
        List<String> ids = args.length > 0 ? Arrays.asList(args) : sweep.managedSecrets();
        if (ids.isEmpty()) {
            out.println("no secret to sweep: none has rotation enabled with a known provider");
            return 0;
        }
        boolean failed = false;
        for (Sweep.Line line : sweep.run(ids, false)) {
            out.printf("%-12s %-60s %-14s %-22s %s%n", line.action(), line.secretId(), line.provider(), line.credentialId(), line.detail());
            failed |= line.action().equals("FAILED");
        }
        return failed ? 1 : 0;
    }
}
