package dev.secretrotator.provider.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** RFC 6901 JSON pointers over parsed JSON ({@code Map}, {@code List}, scalars). */
final class JsonPointer {
    private JsonPointer() {}

    /** Whether {@code pointer} is well formed: empty (the whole document) or starting with {@code /}. */
    static boolean valid(String pointer) {
        return pointer.isEmpty() || pointer.startsWith("/");
    }

    /** The value at {@code pointer}, or empty when any step is missing (or JSON null). */
    static Optional<Object> find(Object document, String pointer) {
        Object node = document;
        if (!pointer.isEmpty()) {
            for (String raw : pointer.substring(1).split("/", -1)) {
                String token = raw.replace("~1", "/").replace("~0", "~");
                if (node instanceof Map<?, ?> map) {
                    node = map.get(token);
                } else if (node instanceof List<?> list && token.matches("\\d{1,9}") && Integer.parseInt(token) < list.size()) {
                    node = list.get(Integer.parseInt(token));
                } else {
                    return Optional.empty();
                }
            }
        }
        return Optional.ofNullable(node);
    }

    /** The non-empty string (or number, as text) at {@code pointer}. */
    static Optional<String> text(Object document, String pointer) {
        return find(document, pointer)
                .filter(v -> v instanceof String || v instanceof Number)
                .map(Object::toString)
                .filter(s -> !s.isEmpty());
    }
}
