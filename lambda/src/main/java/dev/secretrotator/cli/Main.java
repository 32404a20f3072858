package dev.secretrotator.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The local command line, from the same jar Lambda runs:
 * {@code java -jar secret-rotator.jar <command> [options]}. Uses only the standard AWS
 * environment ({@code AWS_REGION}, credentials, {@code AWS_ENDPOINT_URL}) and the function's
 * {@code ROTATOR_*} settings.
 *
 * <p>Results go to stdout (a table, or JSON with {@code --json}); logs go to stderr. Exit status:
 * 0 success, 1 failure, 2 usage error (or a destructive command not confirmed), 3 a secret needs
 * attention ({@code status}, {@code repair}). The Lambda handler never loads this package.
 */
@Command(name = "secret-rotator", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Rotates AWS Secrets Manager secrets without a gap in service; the local commands of the rotation function.",
        footer = {"", "Environment: AWS_REGION, AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY),",
                "AWS_ENDPOINT_URL (optional, an emulator), ROTATOR_* settings (see README).",
                "Exit status: 0 ok, 1 failed, 2 usage error or not confirmed, 3 a secret needs attention."},
        subcommands = {InvokeCommand.class, RotateCommand.class, SweepCommand.class, StatusCommand.class,
                EmergencyCommand.class, RollbackCommand.class, RepairCommand.class, DemoCommand.class,
                ThroughputCommand.class})
public final class Main implements Callable<Integer> {
    /** A secret needs attention (status) or is still stuck (repair without --apply). */
    static final int ATTENTION = 3;

    final Cli cli;

    @Spec
    CommandSpec spec;

    Main(Cli cli) {
        this.cli = cli;
    }

    public static void main(String[] args) {
        System.exit(run(args, Cli.system()));
    }

    /** Runs a command line with the process's streams; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Cli.system().withStreams(out, err));
    }

    /** Runs a command line in {@code cli}'s world (streams, terminal, AWS components); returns its exit status. */
    static int run(String[] args, Cli cli) {
        return commandLine(cli).execute(args);
    }

    static CommandLine commandLine(Cli cli) {
        return new CommandLine(new Main(cli))
                .setOut(new PrintWriter(new java.io.OutputStreamWriter(cli.out(), StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new java.io.OutputStreamWriter(cli.err(), StandardCharsets.UTF_8), true))
                .setExecutionExceptionHandler(new Failures(cli))
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** No command given: the overview, as a usage error. */
    @Override
    public Integer call() {
        cli.err().println("error: no command given");
        spec.commandLine().usage(cli.err());
        return CommandLine.ExitCode.USAGE;
    }
}
