package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.RotationException;
import dev.secretrotator.telemetry.Redactor;
import dev.secretrotator.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepTelemetryTest {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    final StepTelemetry telemetry = new StepTelemetry(new Telemetry(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            Clock.systemUTC(), new Redactor()), Clock.systemUTC());
    final RotationRequest request = new RotationRequest(Step.CREATE, "prod/db", "11111111-2222-3333-4444-555555555555",
            Optional.empty());

    @Test
    void stepStarted_namesNoProvider_andTheLinesAfterTheProviderIsKnownNameIt() throws Exception {
        // WHEN
        StepTelemetry.Run run = telemetry.start(request);
        run.provider("random-password");
        run.finished("pending value stored");

        // THEN
        List<Map<String, Object>> logs = logs();
        assertThat(logs.get(0)).containsEntry("message", "step started").doesNotContainKey("provider");
        assertThat(logs.get(1)).containsEntry("message", "step succeeded").containsEntry("provider", "random-password");
        assertThat(buffer.toString(StandardCharsets.UTF_8)).doesNotContain("\"provider\":\"unknown\"")
                .contains("\"Provider\":\"random-password\"");
    }

    @Test
    void stepFailedBeforeTheProviderIsKnown_saysNoProvider_butItsMetricHasADimension() throws Exception {
        telemetry.start(request).failed(new RotationException("no such secret"));

        assertThat(logs().get(1)).containsEntry("message", "step failed").doesNotContainKey("provider");
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("\"Provider\":\"unknown\"");
    }

    private List<Map<String, Object>> logs() throws Exception {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (String line : buffer.toString(StandardCharsets.UTF_8).lines().toList()) {
            Map<String, Object> map = JSON.std.mapFrom(line);
            if (map.containsKey("message")) {
                out.add(map);
            }
        }
        return out;
    }
}
