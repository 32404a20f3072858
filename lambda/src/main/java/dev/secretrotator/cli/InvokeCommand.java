package dev.secretrotator.cli;

import dev.secretrotator.handler.RotationHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code invoke --event FILE}: one Lambda event through the real handler, in-process. */
@Command(name = "invoke", description = "Run one Lambda event (a rotation step or an operation) in-process, exactly as Lambda would.")
final class InvokeCommand extends BaseCommand {
    @Option(names = "--event", required = true, paramLabel = "FILE",
            description = "the event JSON, e.g. examples/create-secret.json")
    Path file;

    private String subject = "";

    @Override
    String subject() {
        return subject;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new UsageException("cannot read event file " + file);
        }
        long size = Files.size(file);
        if (size > RotationHandler.PAYLOAD_LIMIT) {
            throw new UsageException(String.format("event file %s is %.1f MB, over Lambda's 6 MB limit for a synchronous"
                    + " invocation: Lambda would reject it (RequestEntityTooLargeException) before the function runs;"
                    + " a Secrets Manager rotation event is under 1 KB", file, size / 1048576.0));
        }
        byte[] event = Files.readAllBytes(file);
        subject = EventSummary.secretId(event);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (InputStream in = new java.io.ByteArrayInputStream(event)) {
            new RotationHandler(components()).handleRequest(in, response, new LocalContext("invoke"));
        }
        print(event, response.toString(StandardCharsets.UTF_8));
        return 0;
    }

    /** A rotation step returns nothing (Lambda's {@code null}): say what was done instead. */
    private void print(byte[] event, String response) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.putAll(EventSummary.of(event));
        boolean stepOnly = response.isBlank() || response.equals("null");
        if (!stepOnly) {
            result.put("response", EventSummary.parse(response));
        }
        common.print(out(), result, (PrintStream o) -> {
            if (stepOnly) {
                o.println("ok  " + result.getOrDefault("step", "event") + " of " + result.getOrDefault("secretId", "?")
                        + (result.containsKey("version") ? " (version " + result.get("version") + ")" : "") + " done");
            } else {
                o.println("ok  " + result.getOrDefault("action", "event") + " done; the function returned:");
                o.println(Common.json(result.get("response")));
            }
        });
    }
}
