package dev.secretrotator;

import dev.secretrotator.handler.RotationHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the Lambda runtime in a fresh JVM: constructs the handler the way Lambda does and
 * runs one event file through it. Used to see which classes the Lambda path loads, and how long
 * a cold createSecret takes.
 */
public final class HandlerProbe {
    private HandlerProbe() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        RotationHandler handler = new RotationHandler();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            handler.handleRequest(in, new ByteArrayOutputStream(), null);
        }
        System.err.printf("probe: cold handler construction + one event %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}
