package dev.secretrotator.cli;

import dev.secretrotator.handler.Components;
import dev.secretrotator.telemetry.Telemetry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs the command line in-process with captured streams and a chosen AWS world; counts how often it was built. */
final class CliRun {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicInteger componentsBuilt = new AtomicInteger();
    private final Function<Telemetry, Components> components;
    private final Map<String, String> env;
    private boolean interactive;
    private String input = "";

    CliRun(Map<String, String> env, Function<Telemetry, Components> components) {
        this.env = env;
        this.components = components;
    }

    /** A world without AWS: building components fails the test's expectations by being counted. */
    static CliRun offline() {
        return new CliRun(Map.of(), t -> {
            throw new IllegalStateException("this command line must not reach AWS");
        });
    }

    CliRun atTerminal(String answer) {
        interactive = true;
        input = answer;
        return this;
    }

    int run(String... args) {
        out.reset();
        err.reset();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(input)), interactive, env, t -> {
                    componentsBuilt.incrementAndGet();
                    return components.apply(t);
                });
        return Main.run(args, cli);
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
