package dev.secretrotator.cli;

import dev.secretrotator.RotationException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns a command's failure into one line for a person: what went wrong, for which secret, and
 * what to set or grant. Exit status 2 for a usage problem, 1 otherwise. Never prints a stack
 * trace (the function's log at {@code --log-level debug} has what the function logged).
 */
final class Failures implements IExecutionExceptionHandler {
    /** AWS's access-denied text: "User: P is not authorized to perform: A [on resource: R] [because ...]". */
    private static final Pattern DENIED = Pattern.compile(
            "(?:User|Principal):?\\s*([^\\s<]+?)\\s+is not authorized to perform:?\\s*([\\w:*-]+)"
                    + "(?:\\s+on resource:?\\s*([^\\s<]+?))?(?=[\\s<,]|\\.?$|\\.\\s)");

    private final Cli cli;

    Failures(Cli cli) {
        this.cli = cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        String subject = command.getCommand() instanceof BaseCommand c ? c.subject() : "";
        if (e instanceof UsageException) {
            cli.err().println("error: " + explain(e, subject));
            cli.err().println("(see: java -jar secret-rotator.jar " + command.getCommandName() + " --help)");
            return CommandLine.ExitCode.USAGE;
        }
        cli.err().println("error: " + explain(e, subject));
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The message for a person, naming the secret (unless the message already does). */
    static String explain(Throwable e, String secretId) {
        String message = reason(e, secretId);
        boolean named = secretId.isEmpty() || message.contains(secretId)
                || (e instanceof RotationException r && r.location() != null);
        return named ? message : "secret " + secretId + ": " + message;
    }

    private static String reason(Throwable e, String secretId) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (t instanceof SdkClientException && text.contains("Unable to load region")) {
                return "no AWS region is set: set AWS_REGION (for example export AWS_REGION=us-east-1),"
                        + " or a region in the AWS profile you use (AWS_PROFILE)";
            }
            if (t instanceof SdkClientException && text.contains("Unable to load credentials")) {
                return "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return unreachable(t, e);
            }
            if (t instanceof AwsServiceException aws && isDenied(aws)) {
                return denied(aws, e, secretId);
            }
        }
        return e instanceof RotationException || e instanceof UsageException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String unreachable(Throwable network, Throwable top) {
        String endpoint = Regions.endpoint();
        String why = network instanceof UnknownHostException ? "unknown host " + network.getMessage()
                : network instanceof ConnectException ? "connection refused" : "connection timed out";
        String where = endpoint.isEmpty() ? "the AWS endpoint of the region (AWS_ENDPOINT_URL is not set)"
                : endpoint + " (from AWS_ENDPOINT_URL)";
        String context = top instanceof RotationException r && r.location() != null ? r.location() + ": " : "";
        return context + "cannot reach " + where + ": " + why
                + "; check AWS_ENDPOINT_URL (unset it for real AWS; for an emulator, is it running?) and the network."
                + " This is not a permission problem";
    }

    /** The service's message; from the raw body when the SDK could not parse it (an XML answer to a JSON call). */
    private static String deniedText(AwsServiceException aws) {
        AwsErrorDetails details = aws.awsErrorDetails();
        if (details != null && details.errorMessage() != null) {
            return details.errorMessage();
        }
        if (details != null && details.rawResponse() != null) {
            String raw = details.rawResponse().asUtf8String();
            return raw.substring(0, Math.min(raw.length(), 2000));
        }
        return String.valueOf(aws.getMessage());
    }

    private static boolean isDenied(AwsServiceException aws) {
        String code = aws.awsErrorDetails() == null ? "" : String.valueOf(aws.awsErrorDetails().errorCode());
        return aws.statusCode() == 403 || code.contains("AccessDenied") || code.equals("UnauthorizedOperation");
    }

    private static String denied(AwsServiceException aws, Throwable top, String secretId) {
        String text = deniedText(aws);
        String context = top instanceof RotationException r && r.location() != null ? r.location() + ": " : "";
        Matcher m = DENIED.matcher(text);
        if (m.find()) {
            String resource = m.group(3) != null ? m.group(3) : secretId.isEmpty() ? "the resource" : "secret " + secretId;
            return context + "access denied: " + m.group(1) + " may not call " + m.group(2) + " on " + resource
                    + "; grant that action on that resource to that principal (IAM policy, or the secret's resource"
                    + " policy or KMS key policy)";
        }
        String code = aws.awsErrorDetails() == null ? "AccessDenied" : aws.awsErrorDetails().errorCode();
        String service = aws.awsErrorDetails() == null ? "AWS" : aws.awsErrorDetails().serviceName();
        return context + "access denied (" + code + ") by " + service + ": " + text
                + "; check which principal you run as (aws sts get-caller-identity) and its policy";
    }
}
