package dev.secretrotator.handler;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for Lambda's SnapStart lifecycle in a fresh JVM: constructs the handler the way Lambda
 * does (its environment says {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}), runs the hooks it
 * registered as Lambda's CRaC context would (checkpoint, then restore), then one event. Prints
 * markers between the phases so a test can tell what happened before the checkpoint.
 */
public final class SnapStartProbe {
    private SnapStartProbe() {}

    public static void main(String[] args) throws Exception {
        RotationHandler handler = new RotationHandler();
        SnapStartPriming hooks = handler.snapStartHooks().orElseThrow(() -> new IllegalStateException("no SnapStart hooks registered"));
        long t0 = System.nanoTime();
        hooks.beforeCheckpoint(null);
        String primed = "probe: CHECKPOINT after " + (System.nanoTime() - t0) / 1_000_000 + " ms of priming";
        System.out.println(primed);
        hooks.afterRestore(null);
        System.out.println("probe: RESTORED");
        long t1 = System.nanoTime();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            handler.handleRequest(in, new ByteArrayOutputStream(), null);
        }
        String first = "probe: first event after restore " + (System.nanoTime() - t1) / 1_000_000 + " ms";
        System.out.println(first);
    }
}
