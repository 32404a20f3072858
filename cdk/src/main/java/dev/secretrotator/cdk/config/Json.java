package dev.secretrotator.cdk.config;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads from a jackson-jr map, with errors that name the key. Package-private plumbing. */
final class Json {

    private Json() {
    }

    static Map<String, Object> object(String json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the configuration must be a JSON object, got: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " must be a JSON object, got " + value);
    }

    static Map<String, Object> objectAt(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : asObject(value, key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> listAt(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new IllegalArgumentException(key + " must be a JSON array, got " + value);
    }

    static List<String> strings(Map<String, Object> parent, String key) {
        List<Object> list = listAt(parent, key);
        for (Object o : list) {
            if (!(o instanceof String)) {
                throw new IllegalArgumentException(key + " must be an array of strings, got " + list);
            }
        }
        return list.stream().map(String.class::cast).toList();
    }

    static String string(Map<String, Object> parent, String key, String fallback) {
        Object value = parent.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(key + " must be a string, got " + value);
    }

    static String required(Map<String, Object> parent, String key, String where) {
        Object value = parent.get(key);
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        throw new IllegalArgumentException(where + "." + key + " must be set, got " + value);
    }

    static int integer(Map<String, Object> parent, String key, int fallback) {
        Object value = parent.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException(key + " must be an integer, got " + value);
    }

    static boolean bool(Map<String, Object> parent, String key, boolean fallback) {
        Object value = parent.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(key + " must be true or false, got " + value);
    }

    static void checkKeys(Map<String, Object> object, Set<String> known, String where) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in " + where + "; known keys: "
                        + new TreeSet<>(known));
            }
        }
    }
}
