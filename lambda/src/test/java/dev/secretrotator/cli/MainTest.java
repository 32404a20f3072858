package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArguments_printsUsage_andExits2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:").contains("invoke --event FILE");
    }

    @Test
    void unknownCommand_namesIt() {
        assertThat(run("rotat")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'rotat'");
    }

    @Test
    void invoke_withoutEventFile_isAUsageError() {
        assertThat(run("invoke", "--event", "/nonexistent/event.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read event file /nonexistent/event.json");
    }
}
