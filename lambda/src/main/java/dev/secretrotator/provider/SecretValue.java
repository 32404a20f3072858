package dev.secretrotator.provider;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An immutable secret value: the JSON object a user stores, fields in their original order.
 * Unknown fields are carried from version to version untouched.
 *
 * <p>{@link #toString()} never shows values. Parse errors never quote the input.
 */
public final class SecretValue {
    /** Field names whose values are credentials (not ids or ARNs). */
    private static final Pattern SENSITIVE =
            Pattern.compile("(?i).*(password|secret|apikey|api_key|token|privatekey|value).*");
    private static final Pattern NOT_SENSITIVE = Pattern.compile("(?i).*(id|arn|name|endpoint|url)$");

    private final Map<String, Object> fields;

    private SecretValue(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * Parses a secret string that must be a JSON object.
     *
     * @throws InvalidInputException if it is not; the message never quotes the input
     */
    public static SecretValue parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidInputException("the secret value is empty; store a JSON object with a \"provider\" field");
        }
        Object parsed;
        try {
            parsed = JSON.std.anyFrom(json);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(
                    "the secret value is not valid JSON (" + json.length() + " characters); store a JSON object with a \"provider\" field");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidInputException("the secret value must be a JSON object, got a JSON "
                    + (parsed instanceof List ? "array" : parsed == null ? "null" : "scalar"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
        return new SecretValue(copy);
    }

    public static SecretValue of(Map<String, ?> fields) {
        return new SecretValue(new LinkedHashMap<>(fields));
    }

    /** The value of a string field, if present and a string. */
    public Optional<String> string(String field) {
        Object value = fields.get(field);
        if (value != null && !(value instanceof String)) {
            throw new InvalidInputException("field \"" + field + "\" must be a string, got a " + typeName(value));
        }
        return Optional.ofNullable((String) value).filter(s -> !s.isEmpty());
    }

    /** The value of a required, non-empty string field. */
    public String require(String field) {
        return string(field).orElseThrow(() ->
                new InvalidInputException("field \"" + field + "\" is missing or empty"));
    }

    /** A nested JSON object, if present. */
    public Optional<SecretValue> object(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException("field \"" + field + "\" must be a JSON object, got a " + typeName(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) map;
        return Optional.of(of(nested));
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** A copy with {@code field} set to {@code value} ({@code null} removes it); order kept. */
    public SecretValue with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        if (value == null) {
            copy.remove(field);
        } else {
            copy.put(field, value);
        }
        return new SecretValue(copy);
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public String toJson() {
        try {
            return JSON.std.asString(fields);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed secret value could not be written back as JSON", e);
        }
    }

    /** Every string value stored under a credential-like field name, at any depth. */
    public List<String> sensitiveValues() {
        List<String> out = new ArrayList<>();
        collect(fields, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> map, List<String> out) {
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                collect((Map<String, Object>) nested, out);
            } else if (value instanceof String s && SENSITIVE.matcher(key).matches()
                    && !NOT_SENSITIVE.matcher(key).matches()) {
                out.add(s);
            }
        });
    }

    private static String typeName(Object value) {
        if (value instanceof Map) {
            return "JSON object";
        }
        if (value instanceof List) {
            return "JSON array";
        }
        return value instanceof Number ? "number" : value instanceof Boolean ? "boolean" : "value";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "SecretValue" + fields.keySet();
    }
}
