package dev.secretrotator.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A print stream that copies everything into a buffer and still passes it on. Thread-safe. */
public final class Tee {
    private Tee() {}

    /** A stream writing to {@code original} and, under its lock, to {@code buffer}. */
    public static PrintStream of(PrintStream original, ByteArrayOutputStream buffer) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** The buffer's text, read under its lock. */
    public static String text(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
