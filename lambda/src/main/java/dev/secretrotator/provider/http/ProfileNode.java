package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a profile, with its path from the root and typed accessors whose errors
 * name the profile and the field ({@code create.response.key}) and never quote a value.
 */
final class ProfileNode {
    final Map<String, Object> map;
    final String path;
    private final String source;

    ProfileNode(Map<String, Object> map, String path, String source) {
        this.map = map;
        this.path = path;
        this.source = source;
    }

    String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Rejects any member not named here (a misspelt field must not be ignored). */
    void only(String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw error(field(key), "is not a profile field; known here: " + new TreeSet<>(allowed));
            }
        }
    }

    Optional<Object> raw(String name) {
        return Optional.ofNullable(map.get(name));
    }

    Optional<String> string(String name) {
        Object value = map.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw error(field(name), "must be a non-empty string");
        }
        return Optional.of(s);
    }

    @SuppressWarnings("unchecked")
    Optional<ProfileNode> optionalObject(String name) {
        Object value = map.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw error(field(name), "must be a JSON object");
        }
        return Optional.of(new ProfileNode((Map<String, Object>) m, field(name), source));
    }

    ProfileNode object(String name, String meaning) {
        return optionalObject(name).orElseThrow(() -> error(field(name), "is missing; it is " + meaning));
    }

    InvalidInputException error(String field, String problem) {
        return new InvalidInputException(source + ": field \"" + field + "\" " + problem);
    }
}
