package dev.secretrotator.telemetry;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Structured output: one JSON log object per line, and CloudWatch Embedded Metric Format lines
 * (metrics without API calls). Every line passes through a {@link Redactor}, so a value the
 * engine registered as sensitive can never be printed, whatever a message contains.
 *
 * <p>Thread-safe: each line is written with a single {@code println}.
 */
public final class Telemetry {
    /** CloudWatch namespace of every metric this function emits. */
    public static final String NAMESPACE = "SecretRotator";

    /** The deployment dimension every metric carries when the function name is known. */
    public static final String FUNCTION_DIMENSION = "FunctionName";

    private final Supplier<PrintStream> out;
    private final Clock clock;
    private final Redactor redactor;
    private final java.util.Optional<String> functionName;

    public Telemetry(PrintStream out, Clock clock, Redactor redactor) {
        this(() -> out, clock, redactor, java.util.Optional.empty());
    }

    private Telemetry(Supplier<PrintStream> out, Clock clock, Redactor redactor, java.util.Optional<String> functionName) {
        this.out = out;
        this.clock = clock;
        this.redactor = redactor;
        this.functionName = functionName;
    }

    /**
     * The same output, clock and redactor, with every metric also carrying
     * {@code FunctionName=<name>} (from {@code RotatorConfig.functionName()}), so each deployment's
     * alarms select its own metrics. Empty (the CLI) leaves metrics as they are.
     */
    public Telemetry withFunctionName(java.util.Optional<String> name) {
        return new Telemetry(out, clock, redactor, name);
    }

    /** Telemetry on standard output (whatever {@code System.out} is at the time), as Lambda captures it. */
    public static Telemetry stdout() {
        return new Telemetry(() -> System.out, Clock.systemUTC(), new Redactor(), java.util.Optional.empty());
    }

    public Redactor redactor() {
        return redactor;
    }

    public void info(String message, Map<String, ?> fields) {
        log("INFO", message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        log("WARN", message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        log("ERROR", message, fields);
    }

    private void log(String level, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("message", message);
        line.putAll(fields);
        emit(line);
    }

    /**
     * Emits one metric as an EMF line, under the given dimensions and with no dimensions (the
     * aggregate). With a function name, the sets are {@code [FunctionName, given...]},
     * {@code [FunctionName]} (what alarms select) and the aggregate.
     */
    public void metric(String name, double value, String unit, Map<String, String> dimensions) {
        emit(Emf.line(NAMESPACE, clock.millis(), name, value, unit, dimensions, functionName));
    }

    private void emit(Map<String, Object> line) {
        out.get().println(redactor.redact(Json.write(line)));
    }
}
