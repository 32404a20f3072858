package dev.secretrotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 17 item 3: in Lambda, every metric carries the function's name, so alarms can select one deployment. */
class ComponentsTest {

    @Test
    void fromEnvironment_metricsCarryTheFunctionNameDimension() {
        // GIVEN the environment Lambda gives the function, and stdout captured
        PrintStream stdout = System.out;
        String region = System.getProperty("aws.region");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            System.setProperty("aws.region", "us-east-1");
            Components components = Components.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "team-a-rotator"));

            // WHEN
            components.services().telemetry().metric("SweepFailed", 1, "Count", Map.of("Provider", "aws-iam"));
        } finally {
            System.setOut(stdout);
            if (region == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", region);
            }
        }

        // THEN
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("\"FunctionName\":\"team-a-rotator\"")
                .contains("[\"FunctionName\"]");
    }
}
