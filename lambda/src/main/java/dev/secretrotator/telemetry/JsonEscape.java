package dev.secretrotator.telemetry;

/** The JSON string escaping of a value, so a value is also found inside a written JSON line. */
final class JsonEscape {
    private JsonEscape() {}

    static String escape(String value) {
        String written = Json.write(value);
        return written.substring(1, written.length() - 1);
    }
}
