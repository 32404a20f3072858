package dev.secretrotator.engine;

import dev.secretrotator.RotationException;
import dev.secretrotator.telemetry.Telemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs and metrics of one step: start, outcome, duration, per provider. The provider is known only
 * once the engine has read the current value, so "step started" carries no provider; every later
 * line names it (or, for a step that failed before, has none). Metrics use {@code unknown} then.
 */
final class StepTelemetry {
    private final Telemetry telemetry;
    private final Clock clock;

    StepTelemetry(Telemetry telemetry, Clock clock) {
        this.telemetry = telemetry;
        this.clock = clock;
    }

    Run start(RotationRequest request) {
        Run run = new Run(request, clock.millis());
        telemetry.info("step started", run.fields());
        return run;
    }

    /** One step's telemetry; not shared between threads. */
    final class Run {
        private final RotationRequest request;
        private final long startMillis;
        private String provider = "";

        private Run(RotationRequest request, long startMillis) {
            this.request = request;
            this.startMillis = startMillis;
        }

        void provider(String name) {
            this.provider = name;
        }

        void finished(String outcome) {
            Map<String, Object> fields = fields();
            fields.put("outcome", outcome);
            fields.put("durationMs", elapsed());
            telemetry.info("step succeeded", fields);
            metrics("StepSucceeded");
        }

        void failed(RotationException e) {
            Map<String, Object> fields = fields();
            fields.put("errorType", e.getClass().getSimpleName());
            fields.put("error", e.reason());
            fields.put("durationMs", elapsed());
            telemetry.error("step failed", fields);
            metrics("StepFailed");
            if (e instanceof dev.secretrotator.StaleCredentialException) {
                telemetry.metric("StaleCredentialInUse", 1, "Count", Map.of("Provider", dimension()));
            }
        }

        private void metrics(String outcomeMetric) {
            Map<String, String> dims = new LinkedHashMap<>();
            dims.put("Provider", dimension());
            dims.put("Step", request.step().wireName());
            telemetry.metric(outcomeMetric, 1, "Count", dims);
            telemetry.metric("StepDurationMs", elapsed(), "Milliseconds", dims);
        }

        private String dimension() {
            return provider.isEmpty() ? "unknown" : provider;
        }

        private long elapsed() {
            return clock.millis() - startMillis;
        }

        Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("secretId", request.secretId());
            fields.put("step", request.step().wireName());
            fields.put("versionId", request.clientRequestToken());
            if (!provider.isEmpty()) {
                fields.put("provider", provider);
            }
            return fields;
        }
    }
}
