package dev.secretrotator.testing.weaviate;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * One authenticated, routed request.
 *
 * @param params    decoded path parameters by name ({@code user_id}, {@code id}, {@code userType})
 * @param query     decoded query parameters (last value wins)
 * @param body      raw request body, possibly empty
 * @param principal user id of the caller, already authenticated
 */
record Request(Map<String, String> params, Map<String, String> query, byte[] body, String principal) {

    String param(String name) {
        return params.get(name);
    }

    /** A boolean query flag; absent means false, a value that is not a boolean answers 422. */
    boolean flag(String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.withError(422, name + " in query must be of type boolean: \"" + value + "\"");
        };
    }

    /**
     * The body as a JSON object, or {@code null} when the body is empty.
     * Unparseable JSON answers 400; valid JSON that is not an object answers {@code wrongShapeStatus}.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> jsonObject(int wrongShapeStatus) {
        if (isBlank(body)) {
            return null;
        }
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(body);
        } catch (IOException e) {
            throw ApiException.withError(400, "parsing body from request failed: malformed JSON");
        }
        if (!(parsed instanceof Map)) {
            throw ApiException.withError(wrongShapeStatus, "body must be a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
