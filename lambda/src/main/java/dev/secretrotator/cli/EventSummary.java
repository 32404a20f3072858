package dev.secretrotator.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The plain facts of an event file for the CLI's messages: secret, step, version, action; never a rotation token. */
final class EventSummary {
    private EventSummary() {}

    static Map<String, Object> of(byte[] event) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (parse(event) instanceof Map<?, ?> fields) {
            copy(fields, "Step", "step", out);
            copy(fields, "SecretId", "secretId", out);
            copy(fields, "ClientRequestToken", "version", out);
            copy(fields, "action", "action", out);
            copy(fields, "secretId", "secretId", out);
        }
        return out;
    }

    static String secretId(byte[] event) {
        return String.valueOf(of(event).getOrDefault("secretId", ""));
    }

    static Object parse(byte[] json) {
        try {
            return JSON.std.anyFrom(json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Object parse(String json) {
        try {
            return JSON.std.anyFrom(json);
        } catch (IOException | RuntimeException e) {
            return json;
        }
    }

    private static void copy(Map<?, ?> from, String key, String as, Map<String, Object> to) {
        if (from.get(key) instanceof String s && !s.isBlank() && s.length() <= 2048) {
            to.put(as, s);
        }
    }
}
