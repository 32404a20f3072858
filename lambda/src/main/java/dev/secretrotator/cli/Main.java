package dev.secretrotator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
        versionProvider = Version.class, sortOptions = false,
        description = "Rotates AWS Secrets Manager secrets without a gap in service; the local commands of the rotation function.",
        footer = {"", "Environment: AWS_REGION, AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY),",
                "AWS_ENDPOINT_URL (optional, an emulator), ROTATOR_* settings (see README).",
                "Exit status: 0 ok, 1 failed, 2 usage error or not confirmed, 3 a secret needs attention."})
public final class Main implements Callable<Integer> {
    /** The subcommands, by name, in the order the overview lists them. */
    static final Map<String, Class<?>> COMMANDS = commands();

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

    /** Runs a command line in {@code cli}'s world (streams, terminal, AWS components); returns its exit status. */
    static int run(String[] args, Cli cli) {
        return commandLine(cli, args).execute(args);
    }

    /**
     * The parser for {@code args}. When the first argument names a command only that command's
     * model is built (picocli reflects over each command class; building all of them costs a cold
     * {@code invoke} about 30 ms); otherwise all, for the overview and "did you mean".
     */
    static CommandLine commandLine(Cli cli, String[] args) {
        CommandLine line = new CommandLine(new Main(cli));
        Class<?> only = args.length > 0 ? COMMANDS.get(args[0]) : null;
        COMMANDS.forEach((name, type) -> {
            if (only == null || only == type) {
                line.addSubcommand(name, type);
            }
        });
        return line
                .setOut(new PrintWriter(new java.io.OutputStreamWriter(cli.out(), StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new java.io.OutputStreamWriter(cli.err(), StandardCharsets.UTF_8), true))
                .setExecutionExceptionHandler(new Failures(cli))
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("invoke", InvokeCommand.class);
        all.put("rotate", RotateCommand.class);
        all.put("sweep", SweepCommand.class);
        all.put("status", StatusCommand.class);
        all.put("emergency", EmergencyCommand.class);
        all.put("rollback", RollbackCommand.class);
        all.put("repair", RepairCommand.class);
        all.put("demo", DemoCommand.class);
        all.put("throughput", ThroughputCommand.class);
        return all;
    }

    /** No command given: the overview, as a usage error. */
    @Override
    public Integer call() {
        cli.err().println("error: no command given");
        spec.commandLine().usage(cli.err());
        return CommandLine.ExitCode.USAGE;
    }
}
