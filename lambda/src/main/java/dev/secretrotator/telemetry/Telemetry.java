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

    private final Supplier<PrintStream> out;
    private final Clock clock;
    private final Redactor redactor;

    public Telemetry(PrintStream out, Clock clock, Redactor redactor) {
        this(() -> out, clock, redactor);
    }

    private Telemetry(Supplier<PrintStream> out, Clock clock, Redactor redactor) {
        this.out = out;
        this.clock = clock;
        this.redactor = redactor;
    }

    /** Telemetry on standard output (whatever {@code System.out} is at the time), as Lambda captures it. */
    public static Telemetry stdout() {
        return new Telemetry(() -> System.out, Clock.systemUTC(), new Redactor());
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
     * Emits one metric as an EMF line, under each dimension set given and with no dimensions
     * (so alarms can use the aggregate without naming a provider).
     */
    public void metric(String name, double value, String unit, Map<String, String> dimensions) {
        emit(Emf.line(NAMESPACE, clock.millis(), name, value, unit, dimensions));
    }

    private void emit(Map<String, Object> line) {
        out.get().println(redactor.redact(Json.write(line)));
    }
}
