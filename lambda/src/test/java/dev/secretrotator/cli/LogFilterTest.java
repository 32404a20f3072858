package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFilterTest {
    static final String INFO = "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"level\":\"INFO\",\"message\":\"step started\"}";
    static final String ERROR = "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"step failed\"}";
    static final String METRIC = "{\"_aws\":{\"Timestamp\":1},\"StepSucceeded\":1}";

    String through(Common.Level level, String... lines) {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        PrintStream in = new PrintStream(new LogFilter(new PrintStream(target, true, StandardCharsets.UTF_8), level), true, StandardCharsets.UTF_8);
        for (String line : lines) {
            in.println(line);
        }
        return target.toString(StandardCharsets.UTF_8);
    }

    @Test
    void warnLevel_dropsInfoAndMetrics_keepsErrors() {
        assertThat(through(Common.Level.WARN, INFO, METRIC, ERROR)).isEqualTo(ERROR + System.lineSeparator());
    }

    @Test
    void debugLevel_keepsEverything() {
        assertThat(through(Common.Level.DEBUG, INFO, METRIC, ERROR)).contains(INFO).contains(METRIC).contains(ERROR);
    }

    @Test
    void off_dropsEverything() {
        assertThat(through(Common.Level.OFF, INFO, ERROR)).isEmpty();
    }
}
