package dev.secretrotator.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Options of every command: {@code --json} for the result, {@code --log-level} and {@code --quiet} for the function's JSON log on stderr. */
final class Common {
    /** Log levels, least to most severe; {@code DEBUG} adds the metric (EMF) lines. */
    enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    @Option(names = "--json", description = "print the result as JSON (for scripts) instead of a table")
    boolean json;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN",
            description = "function log lines on stderr from this level: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Level level = Level.WARN;

    @Option(names = {"-q", "--quiet"}, description = "no log lines on stderr (results and errors still print)")
    boolean quiet;

    Level threshold() {
        return quiet ? Level.OFF : level;
    }

    /** Prints {@code result} as JSON with {@code --json}, else as the given table. */
    void print(PrintStream out, Object result, Consumer<PrintStream> table) {
        if (json) {
            out.println(json(result));
        } else {
            table.accept(out);
        }
    }

    static String json(Object result) {
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(result);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the result as JSON", e);
        }
    }
}
