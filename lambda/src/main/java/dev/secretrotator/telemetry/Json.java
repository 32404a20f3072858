package dev.secretrotator.telemetry;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON writing for telemetry lines (jackson-jr: no reflection-heavy binding on the cold path). */
final class Json {
    private Json() {}

    static String write(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a telemetry line", e);
        }
    }
}
