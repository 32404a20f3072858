package dev.secretrotator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    final Redactor redactor = new Redactor();
    final Telemetry telemetry = new Telemetry(new PrintStream(buffer, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), redactor);

    @Test
    void log_isOneJsonObjectPerLine() throws Exception {
        telemetry.info("step started", Map.of("step", "createSecret"));
        telemetry.warn("second\nline", Map.of());

        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.std.mapFrom(lines.get(0))).containsEntry("level", "INFO")
                .containsEntry("message", "step started").containsEntry("step", "createSecret")
                .containsEntry("timestamp", "2026-11-23T10:00:00Z");
        assertThat(JSON.std.mapFrom(lines.get(1))).containsEntry("message", "second\nline");
    }

    @Test
    void registeredValues_neverReachTheOutput_evenInsideMessages() {
        redactor.register("pa\"ss-word-123");
        redactor.register("tok-987654321");

        telemetry.error("failed with pa\"ss-word-123", Map.of("detail", "token tok-987654321"));

        assertThat(output()).doesNotContain("ss-word-123").doesNotContain("tok-987654321").contains(Redactor.MASK);
    }

    @Test
    void shortValues_areNotRegistered() {
        redactor.register("abc");

        telemetry.info("abc stays", Map.of());

        assertThat(output()).contains("abc stays");
    }

    @Test
    void metric_isEmbeddedMetricFormat_withAndWithoutDimensions() throws Exception {
        telemetry.metric("StepSucceeded", 1, "Count", Map.of("Provider", "aws-iam"));

        Map<String, Object> doc = JSON.std.mapFrom(output().trim());
        assertThat(doc).containsEntry("Provider", "aws-iam").containsEntry("StepSucceeded", 1.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
        assertThat(aws).containsEntry("Timestamp", 1795428000000L);
        assertThat(aws.get("CloudWatchMetrics").toString())
                .contains("Namespace=SecretRotator").contains("Dimensions=[[Provider], []]")
                .contains("Name=StepSucceeded").contains("Unit=Count");
    }

    @Test
    void metric_withAFunctionName_carriesItAsTheDeploymentDimension() throws Exception {
        telemetry.withFunctionName(java.util.Optional.of("team-a-rotator"))
                .metric("StaleCredentialInUse", 1, "Count", Map.of("Provider", "aws-iam"));

        Map<String, Object> doc = JSON.std.mapFrom(output().trim());
        assertThat(doc).containsEntry("FunctionName", "team-a-rotator").containsEntry("Provider", "aws-iam");
        assertThat(doc.get("_aws").toString())
                .contains("Dimensions=[[FunctionName, Provider], [FunctionName], []]");
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
