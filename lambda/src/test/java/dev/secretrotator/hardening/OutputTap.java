package dev.secretrotator.hardening;

import dev.secretrotator.testing.Tee;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Copies everything printed to {@code System.out} and {@code System.err} while open (the
 * function's logs, metrics and errors), still passing it through; for leak checks where the
 * JUnit Jupiter {@code LeakCheck} extension does not run (jqwik properties). Not for concurrent
 * use by several tests.
 */
final class OutputTap implements AutoCloseable {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    OutputTap() {
        System.setOut(Tee.of(out, buffer));
        System.setErr(Tee.of(err, buffer));
    }

    String text() {
        return Tee.text(buffer);
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
    }
}
