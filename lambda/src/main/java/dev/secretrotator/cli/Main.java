package dev.secretrotator.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The local command line, from the same jar Lambda runs:
 * {@code java -jar secret-rotator.jar <command> [args]}. Uses only the standard AWS environment
 * ({@code AWS_REGION}, credentials, {@code AWS_ENDPOINT_URL}).
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar secret-rotator.jar <command> [arguments]

            commands:
              invoke --event FILE   run one Lambda event in-process, exactly as Lambda would
              rotate SECRET_ID      drive a whole rotation the way Secrets Manager does, printing each step
              sweep [SECRET_ID...]  advance the retirement of previous credentials (all rotating secrets when none given)
              status [SECRET_ID...] [--json]
                                    versions, labels, credential states, last/next rotation, retirements
              emergency SECRET_ID   rotate now and revoke the previous credential at once (leaked key)
              rollback SECRET_ID    put AWSCURRENT back on AWSPREVIOUS if its credential can be restored
              repair SECRET_ID [--apply]
                                    diagnose (and with --apply clean up) a rotation stuck with AWSPENDING
              demo                  end-to-end rotation on a local emulator (starts moto_server if
                                    AWS_ENDPOINT_URL is not set)

            environment: AWS_REGION, AWS credentials, AWS_ENDPOINT_URL (optional), ROTATOR_* settings (see README)
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit status: 0 success, 1 failure, 2 usage error. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "invoke" -> InvokeCommand.run(rest, out, err);
                case "rotate" -> RotateCommand.run(rest, out, err);
                case "demo" -> DemoCommand.run(rest, out, err);
                case "sweep" -> SweepCommand.run(rest, out, err);
                case "status" -> OpsCommands.status(rest, out);
                case "emergency" -> OpsCommands.emergency(rest, out);
                case "rollback" -> OpsCommands.rollback(rest, out);
                case "repair" -> OpsCommands.repair(rest, out);
                case "throughput" -> ThroughputCommand.run(rest, out);
                default -> usage(err, "unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.print(USAGE);
        return 2;
    }

    /** A command line that cannot be run as given. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
