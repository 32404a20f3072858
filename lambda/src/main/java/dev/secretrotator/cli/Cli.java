package dev.secretrotator.cli;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.AwsClients;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Redactor;
import dev.secretrotator.telemetry.Telemetry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * The world a command runs in: its streams, whether a person sits at a terminal, the
 * environment, and how to build the function's components. Tests give their own (moto clients,
 * no terminal). The components are built only when a command needs AWS, so {@code --help} and
 * usage errors make no call at all.
 *
 * @param out results (tables, JSON)
 * @param err logs, progress, errors, confirmations
 * @param in answers to a confirmation prompt
 * @param interactive whether stdin is a terminal ({@code System.console() != null})
 * @param env the environment variables
 * @param components builds the components, given the telemetry to log through
 */
record Cli(PrintStream out, PrintStream err, BufferedReader in, boolean interactive, Map<String, String> env,
        Function<Telemetry, Components> components) {

    /** The process's streams and environment; AWS clients as Lambda builds them, logs on stderr. */
    static Cli system() {
        Map<String, String> env = System.getenv();
        return new Cli(System.out, System.err, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.console() != null, env, telemetry -> defaultComponents(env, telemetry));
    }

    Cli withStreams(PrintStream newOut, PrintStream newErr) {
        return new Cli(newOut, newErr, in, interactive, env, components);
    }

    /** The function's components with logs on stderr, filtered by {@code logs}. */
    Components components(Common logs) {
        Telemetry telemetry = new Telemetry(new PrintStream(new LogFilter(err, logs.threshold()), true, StandardCharsets.UTF_8),
                Clock.systemUTC(), new Redactor());
        return components.apply(telemetry);
    }

    /** The function's configuration, as the components read it. */
    RotatorConfig config() {
        return RotatorConfig.fromEnv(env);
    }

    private static Components defaultComponents(Map<String, String> env, Telemetry telemetry) {
        Regions.require(env);
        RotatorConfig config = RotatorConfig.fromEnv(env);
        return Components.of(AwsClients.register(ProviderServices.builder().config(config).telemetry(telemetry),
                config.eventBusName(), telemetry).build());
    }
}
