package dev.secretrotator.testing.weaviate;

import java.util.List;
import java.util.Map;

/**
 * The answer to one request: a status and an optional JSON body (maps, lists, strings, booleans).
 *
 * @param status HTTP status code
 * @param body   JSON-serialisable body, or {@code null} for an empty body
 */
record Reply(int status, Object body) {

    static Reply json(int status, Object body) {
        return new Reply(status, body);
    }

    static Reply empty(int status) {
        return new Reply(status, null);
    }

    /** The spec's {@code ErrorResponse}: {@code {"error":[{"message": ...}]}}. */
    static Reply error(int status, String message) {
        return new Reply(status, Map.of("error", List.of(Map.of("message", message))));
    }
}
