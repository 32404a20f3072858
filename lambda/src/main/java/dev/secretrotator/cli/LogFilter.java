package dev.secretrotator.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes the function's log lines (one JSON object each) to stderr from a level up. Lines without
 * a level (CloudWatch metric lines) count as {@code DEBUG}. In Lambda nothing filters: the handler
 * logs to stdout, where Lambda captures it.
 */
final class LogFilter extends OutputStream {
    private static final Pattern LEVEL = Pattern.compile("^\\{\"timestamp\":\"[^\"]*\",\"level\":\"([A-Z]+)\"");

    private final PrintStream target;
    private final Common.Level threshold;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogFilter(PrintStream target, Common.Level threshold) {
        this.target = target;
        this.threshold = threshold;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (passes(text)) {
                target.println(text);
            }
        } else {
            line.write(b);
        }
    }

    boolean passes(String text) {
        if (threshold == Common.Level.OFF) {
            return false;
        }
        Matcher m = LEVEL.matcher(text);
        Common.Level level = Common.Level.DEBUG;
        if (m.find()) {
            try {
                level = Common.Level.valueOf(m.group(1));
            } catch (IllegalArgumentException unknown) {
                level = Common.Level.INFO;
            }
        }
        return level.compareTo(threshold) >= 0;
    }
}
