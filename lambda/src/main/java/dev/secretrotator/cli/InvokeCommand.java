package dev.secretrotator.cli;

import dev.secretrotator.handler.RotationHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code invoke --event FILE}: one Lambda event through the real handler, in-process. */
final class InvokeCommand {
    private InvokeCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("--event")) {
            throw new Main.UsageException("invoke takes --event FILE");
        }
        Path file = Path.of(args[1]);
        if (!Files.isReadable(file)) {
            throw new Main.UsageException("cannot read event file " + file);
        }
        RotationHandler handler = new RotationHandler();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (InputStream event = Files.newInputStream(file)) {
            handler.handleRequest(event, response, new LocalContext("invoke"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        out.println(response.toString(StandardCharsets.UTF_8));
        return 0;
    }
}
