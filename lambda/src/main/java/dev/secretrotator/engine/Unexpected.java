package dev.secretrotator.engine;

import dev.secretrotator.RotationException;
import dev.secretrotator.telemetry.Telemetry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Turns an unexpected exception into a {@link RotationException} that carries neither the
 * original message nor the cause (either could hold a value); the stack trace goes to the log,
 * through the redactor.
 */
public final class Unexpected {
    private Unexpected() {}

    public static RotationException wrap(RuntimeException e, Telemetry telemetry) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        telemetry.error("unexpected exception", Map.of("errorType", e.getClass().getName(), "stackTrace", trace.toString()));
        return new RotationException("unexpected " + e.getClass().getSimpleName()
                + "; the function's log has the stack trace; report it if it recurs");
    }
}
